"""Idempotent demo data: what a firm's workspace looks like a few weeks in. A firm with a logo,
two advisors (one the owner), nine clients in every engagement state with their CEOs, boards
and CTOs, CTO perspectives on some engagements, board meetings over the coming months, and
memos requested, ready, failed, approved and sent."""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from advisory.audit import audit_record
from advisory.logos import logo_store
from advisory.models import Client, Engagement, Firm, Membership, Person, User
from assessments.methodology.v2026_2 import PERSPECTIVE_CODES
from assessments.samples import SAMPLES, as_form_input
from assessments.services.answers import (
    answer_save,
    assessment_for,
    assessment_submit,
    perspective_for,
)
from assessments.services.invitations import (
    invitation_record_open,
    invitation_send,
    perspective_invite,
    respondent_label,
)
from reports.models import MemoVersion
from reports.services.delivery import memo_send
from reports.services.memos import memo_approve, memo_fail, memo_render, memo_request
from reports.tasks import TOO_SLOW

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
    title: str
    ceo: str
    board: tuple[str, str]
    cto: str
    # Days from the day the demo is loaded to the board meeting the memo is for.
    meeting_in_days: int
    # Whose engagement it is: the owner's or the colleague's.
    lead: str = ADVISOR_EMAIL
    # The CTO's perspective: "" (not asked), "invited" or "submitted", and where the CTO
    # sees it differently from the CEO.
    perspective: str = ""
    cto_differs: tuple[tuple[str, object], ...] = ()
    commentary: str = ""
    # The head count the CEO gives, where it is not the one on the client record.
    ceo_employees: int | None = None

    @property
    def answers(self) -> dict[str, object]:
        """The CEO's answers: the sample company's, at this client's size."""
        employees = self.ceo_employees or self.employees
        return {**SAMPLES[self.sample], "profile.employees": employees}


CLIENTS = (
    DemoClient(
        "Blue Fjord Shipping",
        "Logistics",
        "Norway",
        1800,
        "growing_saas",
        "not_started",
        title="AI leadership ahead of the 2027 strategy",
        ceo="Ingrid Solberg",
        board=("Henrik Aas", "Marit Lunde"),
        cto="Jonas Berg",
        meeting_in_days=84,
        lead=COLLEAGUE_EMAIL,
    ),
    DemoClient(
        "Cobalt Health",
        "Healthcare",
        "Ireland",
        950,
        "growing_saas",
        "invited",
        title="Who should own clinical AI?",
        ceo="Siobhán Keane",
        board=("Declan Moran", "Aoife Brennan"),
        cto="Niall Fitzgerald",
        meeting_in_days=47,
    ),
    DemoClient(
        "Driftwood Retail",
        "Retail",
        "United Kingdom",
        4100,
        "growing_saas",
        "in_progress",
        title="A Chief AI Officer: yes or no",
        ceo="Priya Raman",
        board=("Oliver Grant", "Hannah Whitfield"),
        cto="Tom Ashworth",
        meeting_in_days=33,
        lead=COLLEAGUE_EMAIL,
        perspective="invited",
    ),
    DemoClient(
        "Elm Street Software",
        "Software",
        "Canada",
        320,
        "growing_saas",
        "submitted",
        title="Board briefing on AI leadership",
        ceo="Marcus Chen",
        board=("Julie Tremblay", "Robert Singh"),
        cto="Elena Petrova",
        meeting_in_days=26,
        perspective="submitted",
        cto_differs=(("leadership.cto_capacity", 5), ("accountability.outcomes_owner", "cto")),
    ),
    DemoClient(
        "Fernbank Insurance",
        "Insurance",
        "Germany",
        2600,
        "regulated_lender",
        "memo_rendering",
        title="AI governance and the CAIO question",
        ceo="Katrin Vogel",
        board=("Stefan Braun", "Anja Keller"),
        cto="Lukas Hoffmann",
        meeting_in_days=61,
        commentary="The supervisory board asked for this before the budget round in January.",
    ),
    DemoClient(
        "Granite Lending",
        "Financial services",
        "United States",
        2400,
        "regulated_lender",
        "memo_ready",
        title="Leadership for AI in credit decisions",
        ceo="Daniel Okafor",
        board=("Rachel Kim", "Michael Torres"),
        cto="Sarah Lindqvist",
        meeting_in_days=19,
        lead=COLLEAGUE_EMAIL,
        perspective="submitted",
        cto_differs=(
            ("accountability.conflict_resolver", "joint_forum"),
            ("dimension.risk_lens.today", 3),
        ),
        commentary=(
            "We met Daniel and Sarah in November. Both agree that the regulator's question about "
            "credit models needs one named executive.\n\nWe suggest the board settles the "
            "reporting line before the search starts."
        ),
    ),
    DemoClient(
        "Hollow Oak Studio",
        "Media",
        "Portugal",
        85,
        "small_studio",
        "memo_failed",
        title="Does a small studio need an AI lead?",
        ceo="Inês Carvalho",
        board=("Rui Almeida", "Marta Sousa"),
        cto="Pedro Santos",
        meeting_in_days=40,
    ),
    DemoClient(
        "Ironwood Foods",
        "Food and drink",
        "Netherlands",
        700,
        "growing_saas",
        "approved",
        title="From AI pilots to an AI plan",
        ceo="Sanne de Vries",
        board=("Pieter Jansen", "Femke Bakker"),
        cto="Daan Visser",
        meeting_in_days=12,
        lead=COLLEAGUE_EMAIL,
        commentary="Sanne wants the board to see the options side by side before deciding.",
    ),
    DemoClient(
        "Juniper Telecom",
        "Telecoms",
        "Spain",
        7200,
        "regulated_lender",
        "sent",
        title="The CAIO mandate for the 2027 budget",
        ceo="Javier Morales",
        board=("Lucía Fernández", "Carlos Ruiz"),
        cto="Ana García",
        meeting_in_days=8,
        ceo_employees=6900,
        perspective="submitted",
        cto_differs=(("leadership.cto_capacity", 4), ("dimension.primary_focus.needed", 4)),
        commentary=(
            "Javier and Ana see the CTO's load differently; the memo shows both views.\n\nThe "
            "board meets on the budget in the week after next."
        ),
    ),
)

STATE_ORDER = [state for state, _ in Engagement.State.choices]


def _email(name: str, domain: str) -> str:
    """first.last@domain, in plain letters: "Siobhán Keane" is siobhan.keane."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(plain.lower().replace("-", " ").split()) + f"@{domain}"


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


def send_to_board(*, version: MemoVersion, engagement: Engagement, advisor: User) -> None:
    """The "sent" state: the approved memo goes to the client's board through the delivery
    service, as the Send page does."""
    memo_send(version=version, people=engagement.client.people.board(), actor=advisor)


class Command(BaseCommand):
    help = "Loads demo data (safe to run again: existing demo records are kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo emails would only clutter the console; keep them in memory.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            firm, advisors = self._firm_and_advisors()
            created = sum(self._client(firm, advisors, demo) for demo in CLIENTS)
        self.stdout.write(
            f"Demo data ready: {FIRM_NAME}, {len(CLIENTS)} clients ({created} new). "
            f"Sign in as {ADVISOR_EMAIL} / {PASSWORD}"
        )

    @transaction.atomic
    def _firm_and_advisors(self) -> tuple[Firm, dict[str, User]]:
        firm, _ = Firm.objects.get_or_create(name=FIRM_NAME, defaults={"accent_color": "#1f4e79"})
        if not firm.logo:
            firm.logo.name = logo_store(demo_logo())
            firm.save(update_fields=["logo"])
        return firm, {
            ADVISOR_EMAIL: self._advisor(
                firm, ADVISOR_EMAIL, "Avery", "Quinn", Membership.Role.OWNER
            ),
            COLLEAGUE_EMAIL: self._advisor(
                firm, COLLEAGUE_EMAIL, "Morgan", "Reyes", Membership.Role.ADVISOR
            ),
        }

    def _advisor(self, firm: Firm, email: str, first: str, last: str, role: str) -> User:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, defaults={"firm": firm, "role": role})
        return user

    def _client(self, firm: Firm, advisors: dict[str, User], demo: DemoClient) -> bool:
        if Client.objects.filter(firm=firm, name=demo.name).exists():
            return False
        advisor = advisors[demo.lead]
        slug = demo.name.split()[0].lower()
        domain = f"{slug}.example"
        with transaction.atomic():
            client = Client.objects.create(
                firm=firm,
                name=demo.name,
                sector=demo.sector,
                country=demo.country,
                employees=demo.employees,
                website=f"https://{domain}",
            )
            ceo = Person.objects.create(
                client=client,
                name=demo.ceo,
                email=_email(demo.ceo, domain),
                role=Person.Role.CEO,
                title="Chief Executive Officer",
            )
            for index, name in enumerate(demo.board):
                Person.objects.create(
                    client=client,
                    name=name,
                    email=_email(name, domain),
                    role=Person.Role.BOARD,
                    title="Chair of the board" if index == 0 else "Non-executive director",
                )
            cto = Person.objects.create(
                client=client,
                name=demo.cto,
                email=_email(demo.cto, domain),
                role=Person.Role.CTO,
                title="Chief Technology Officer",
            )
            engagement = Engagement.objects.create(
                firm=firm,
                client=client,
                lead_advisor=advisor,
                title=demo.title,
                board_meeting_date=timezone.localdate() + timedelta(days=demo.meeting_in_days),
            )
            audit_record(
                firm=firm,
                engagement=engagement,
                actor=advisor,
                action="engagement.created",
                summary=f"Opened the engagement {demo.title}",
            )
        self._advance(engagement, ceo, cto, advisor, demo)
        return True

    def _advance(
        self, engagement: Engagement, ceo: Person, cto: Person, advisor: User, demo: DemoClient
    ) -> None:
        if not _reached(demo.state, "invited"):
            return
        invitation_send(engagement=engagement, person=ceo, actor=advisor)
        if not _reached(demo.state, "in_progress"):
            return
        answers = demo.answers
        assessment = assessment_for(engagement)
        label = self._opened(engagement, ceo)
        codes = list(answers)
        if demo.state == "in_progress":
            codes = codes[: len(codes) // 2]
        for code in codes:
            answer_save(
                assessment=assessment,
                code=code,
                raw=as_form_input(answers[code]),
                actor_label=label,
            )
        self._perspective(engagement, cto, advisor, demo)
        if not _reached(demo.state, "submitted"):
            return
        # The demo keeps one engagement at "submitted": no draft memo is made for it.
        problems = assessment_submit(
            assessment=assessment, actor_label=label, draft_memo=demo.state != "submitted"
        )
        if problems:
            raise RuntimeError(f"demo answers for {demo.name} do not validate: {problems}")
        self._memo_stages(engagement, advisor, demo)

    def _opened(self, engagement: Engagement, person: Person) -> str:
        """The respondent opens their link, as they would before answering; how the audit
        trail then names them."""
        invitation = engagement.invitations.select_related("assessment", "person").get(
            person=person, revoked_at__isnull=True
        )
        invitation_record_open(invitation=invitation)
        return respondent_label(invitation)

    def _perspective(
        self, engagement: Engagement, cto: Person, advisor: User, demo: DemoClient
    ) -> None:
        """The CTO's view: the CEO's answers on the perspective's questions, but for where
        the CTO sees it differently."""
        if not demo.perspective:
            return
        perspective_invite(engagement=engagement, person=cto, actor=advisor)
        if demo.perspective != "submitted":
            return
        ceo_answers = demo.answers
        given = {code: ceo_answers[code] for code in PERSPECTIVE_CODES if code in ceo_answers}
        given.update(dict(demo.cto_differs))
        assessment = perspective_for(engagement, cto)
        label = self._opened(engagement, cto)
        for code, value in given.items():
            answer_save(
                assessment=assessment, code=code, raw=as_form_input(value), actor_label=label
            )
        problems = assessment_submit(assessment=assessment, actor_label=label)
        if problems:
            raise RuntimeError(f"demo perspective for {demo.name} does not validate: {problems}")

    def _memo_stages(self, engagement: Engagement, advisor: User, demo: DemoClient) -> None:
        if not _reached(demo.state, "memo_rendering"):
            return
        version = memo_request(engagement=engagement, actor=advisor, commentary=demo.commentary)
        if demo.state == "memo_rendering":
            return  # the worker picks it up
        if demo.state == "memo_failed":
            # How a memo that ran out of time looks; rendered again, it would be fine.
            limit = settings.MEMO_RENDER_SOFT_TIME_LIMIT
            memo_fail(version_id=version.pk, reason=TOO_SLOW.format(limit=limit))
            return
        version = memo_render(version_id=version.pk)
        if not _reached(demo.state, "approved"):
            return
        version = memo_approve(version=version, actor=advisor)
        if demo.state == "sent":
            send_to_board(version=version, engagement=engagement, advisor=advisor)
