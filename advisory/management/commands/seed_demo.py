"""Idempotent demo data: a firm with a logo, two advisors (one an owner), and a client in
every engagement state."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from PIL import Image, ImageDraw

from advisory.audit import audit_record
from advisory.logos import logo_store
from advisory.models import Client, Engagement, Firm, Membership, Person, User
from advisory.services import engagement_set_state
from assessments.samples import SAMPLES, as_form_input
from assessments.services.answers import answer_save, assessment_for, assessment_submit
from assessments.services.invitations import invitation_send
from reports.models import MemoVersion
from reports.services.delivery import memo_send
from reports.services.memos import memo_approve, memo_render, memo_request

FIRM_NAME = "Harbour & Vale Advisory"
ADVISOR_EMAIL = "advisor@demo.example"
COLLEAGUE_EMAIL = "colleague@demo.example"
PASSWORD = "demo-password-2026"  # noqa: S105 - the published demo sign-in


@dataclass(frozen=True)
class DemoClient:
    name: str
    sector: str
    country: str
    employees: int
    sample: str
    state: str


CLIENTS = (
    DemoClient("Blue Fjord Shipping", "Logistics", "Norway", 1800, "growing_saas", "not_started"),
    DemoClient("Cobalt Health", "Healthcare", "Ireland", 950, "growing_saas", "invited"),
    DemoClient("Driftwood Retail", "Retail", "United Kingdom", 4100, "growing_saas", "in_progress"),
    DemoClient("Elm Street Software", "Software", "Canada", 320, "growing_saas", "submitted"),
    DemoClient(
        "Fernbank Insurance", "Insurance", "Germany", 2600, "regulated_lender", "memo_rendering"
    ),
    DemoClient(
        "Granite Lending",
        "Financial services",
        "United States",
        2400,
        "regulated_lender",
        "memo_ready",
    ),
    DemoClient("Hollow Oak Studio", "Media", "Portugal", 85, "small_studio", "memo_failed"),
    DemoClient("Ironwood Foods", "Food", "Netherlands", 700, "growing_saas", "approved"),
    DemoClient("Juniper Telecom", "Telecoms", "Spain", 7200, "regulated_lender", "sent"),
)

COMMENTARY = (
    "We met the CEO and the CTO in October. Both agree that nobody owns the business results "
    "of AI today.\n\nWe suggest the board discusses the reporting line before the budget round."
)

STATE_ORDER = [state for state, _ in Engagement.State.choices]


def demo_logo() -> bytes:
    """The demo firm's mark, drawn here so no image file needs to ship: a harbour wave under a
    V, white on the firm's navy. Drawn four times larger and scaled down, for smooth edges."""
    scale, size = 4, 160
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=28 * scale, fill="#1f4e79")
    white, line = "#ffffff", 11 * scale
    draw.line(
        [(44 * scale, 38 * scale), (80 * scale, 96 * scale), (116 * scale, 38 * scale)],
        fill=white,
        width=line,
        joint="curve",
    )
    for row, colour in ((0, white), (1, "#9fc3e6")):
        y = (112 + 18 * row) * scale
        wave = [
            (x * scale, y + 5 * scale * math.sin((x - 32) / 100 * 4 * math.pi))
            for x in range(32, 129, 2)
        ]
        draw.line(wave, fill=colour, width=line * 2 // 3, joint="curve")
    out = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _reached(target: str, stage: str) -> bool:
    return STATE_ORDER.index(target) >= STATE_ORDER.index(stage)


class Command(BaseCommand):
    help = "Loads demo data (safe to run again: existing demo records are kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo emails would only clutter the console; keep them in memory.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            firm, advisor = self._firm_and_advisors()
            created = sum(self._client(firm, advisor, demo) for demo in CLIENTS)
        self.stdout.write(
            f"Demo data ready: {FIRM_NAME}, {len(CLIENTS)} clients ({created} new). "
            f"Sign in as {ADVISOR_EMAIL} / {PASSWORD}"
        )

    @transaction.atomic
    def _firm_and_advisors(self) -> tuple[Firm, User]:
        firm, _ = Firm.objects.get_or_create(name=FIRM_NAME, defaults={"accent_color": "#1f4e79"})
        if not firm.logo:
            firm.logo.name = logo_store(demo_logo())
            firm.save(update_fields=["logo"])
        advisor = self._advisor(firm, ADVISOR_EMAIL, "Avery", "Quinn", Membership.Role.OWNER)
        self._advisor(firm, COLLEAGUE_EMAIL, "Morgan", "Reyes", Membership.Role.ADVISOR)
        return firm, advisor

    def _advisor(self, firm: Firm, email: str, first: str, last: str, role: str) -> User:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, defaults={"firm": firm, "role": role})
        return user

    def _client(self, firm: Firm, advisor: User, demo: DemoClient) -> bool:
        if Client.objects.filter(firm=firm, name=demo.name).exists():
            return False
        with transaction.atomic():
            client = Client.objects.create(
                firm=firm,
                name=demo.name,
                sector=demo.sector,
                country=demo.country,
                employees=demo.employees,
                website=f"https://{demo.name.split()[0].lower()}.example",
            )
            slug = demo.name.split()[0].lower()
            ceo = Person.objects.create(
                client=client,
                name=f"{demo.name.split()[0]} CEO",
                email=f"ceo@{slug}.example",
                role=Person.Role.CEO,
            )
            for n in (1, 2):
                Person.objects.create(
                    client=client,
                    name=f"Board Member {n}",
                    email=f"board{n}@{slug}.example",
                    role=Person.Role.BOARD,
                )
            engagement = Engagement.objects.create(
                firm=firm,
                client=client,
                lead_advisor=advisor,
                title="CTO and CAIO mandate review",
            )
            audit_record(
                firm=firm,
                engagement=engagement,
                actor=advisor,
                action="engagement.created",
                summary="Opened the engagement (demo)",
            )
        self._advance(engagement, ceo, advisor, demo)
        return True

    def _advance(
        self, engagement: Engagement, ceo: Person, advisor: User, demo: DemoClient
    ) -> None:
        if not _reached(demo.state, "invited"):
            return
        invitation_send(engagement=engagement, person=ceo, actor=advisor)
        if not _reached(demo.state, "in_progress"):
            return
        answers = SAMPLES[demo.sample]
        assessment = assessment_for(engagement)
        codes = list(answers)
        if demo.state == "in_progress":
            codes = codes[: len(codes) // 2]
        for code in codes:
            answer_save(assessment=assessment, code=code, raw=as_form_input(answers[code]))
        if not _reached(demo.state, "submitted"):
            return
        problems = assessment_submit(assessment=assessment)
        if problems:
            raise RuntimeError(f"demo answers for {demo.name} do not validate: {problems}")
        self._memo_stages(engagement, advisor, demo)

    def _memo_stages(self, engagement: Engagement, advisor: User, demo: DemoClient) -> None:
        if not _reached(demo.state, "memo_rendering"):
            return
        version = memo_request(engagement=engagement, actor=advisor, commentary=COMMENTARY)
        if demo.state == "memo_rendering":
            return  # the worker picks it up
        if demo.state == "memo_failed":
            # A realistic failure to show the retry button; the memo itself would render fine.
            MemoVersion.objects.filter(pk=version.pk).update(
                state=MemoVersion.State.FAILED,
                failure_reason="SoftTimeLimitExceeded: the worker ran out of time (demo)",
            )
            engagement_set_state(engagement=engagement, state=Engagement.State.MEMO_FAILED)
            return
        version = memo_render(version_id=version.pk)
        if not _reached(demo.state, "approved"):
            return
        version = memo_approve(version=version, actor=advisor)
        if demo.state == "sent":
            board = engagement.client.people.board()
            memo_send(version=version, people=board, actor=advisor)
