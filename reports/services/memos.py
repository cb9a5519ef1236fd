"""The memo version workflow: request, render (in the worker), retry, sweep, approve.

A version snapshots everything it is made from when it is requested, so rendering it again
gives the same memo. Rendering happens in a Celery worker; the request only records the
version and publishes the task once the transaction has committed. If the broker is down the
version simply stays queued and :func:`memo_sweep` publishes it again later.

The engagement's memo state is never set by hand: every service that changes a version ends
with :func:`engagement_memo_state_sync`, which derives it from the newest version. Only the
newest version can be retried, approved or sent, so what the board receives is always the
memo the advisor is looking at.

Locks are taken engagement first, then version, everywhere, so two services working on the
same engagement queue behind each other instead of deadlocking.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from advisory.audit import audit_record
from advisory.firms import firm_branding
from advisory.logos import logo_read
from advisory.models import Engagement, User
from advisory.notifications import APP_LABEL
from advisory.services import engagement_set_state
from assessments.explanations import RECOMMENDATION_LABELS
from assessments.methodology import Result, answers_sha256, method_for
from assessments.presenter import Departure
from assessments.services.answers import assessment_for
from assessments.services.scoring import NotScorable, engagement_result
from reports.models import MemoVersion
from reports.services.notifications import notify_memo_failed
from reports.services.rendering import TEMPLATE_VERSION, MemoInput, memo_pdf
from reports.tasks import render_memo_version as render_memo_version_task

logger = logging.getLogger(__name__)

WORKER_LABEL = "Memo renderer"
# "At least a sentence": the reason for departing from the method's result.
DEPARTURE_REASON_MIN_WORDS = 6
_REASON_MAX = 1000


class MemoError(ValidationError):
    """A memo action the current state does not allow; the message is for the advisor."""


# --- The engagement's memo state. ------------------------------------------------------------


def _lock_engagement(engagement_id: int) -> None:
    Engagement.objects.select_for_update().filter(pk=engagement_id).values_list("pk").first()


def lock_version(*, version_id: int) -> MemoVersion | None:
    """Locks the version's engagement, then the version (only its own row)."""
    engagement_id = (
        MemoVersion.objects.filter(pk=version_id).values_list("engagement_id", flat=True).first()
    )
    if engagement_id is None:
        return None
    _lock_engagement(engagement_id)
    return (
        MemoVersion.objects.select_for_update(of=("self",))
        .select_related("engagement__firm", "engagement__client", "engagement__lead_advisor")
        .filter(pk=version_id)
        .first()
    )


def _newest_number(engagement_id: int) -> int:
    return (
        MemoVersion.objects.filter(engagement_id=engagement_id).aggregate(n=Max("number"))["n"] or 0
    )


def require_newest(*, version: MemoVersion, doing: str) -> None:
    newest = _newest_number(version.engagement_id)
    if version.number != newest:
        raise MemoError(
            f"Memo v{version.number} has been replaced by v{newest}; "
            f"only the newest version can be {doing}."
        )


def _state_for(version: MemoVersion) -> str:
    if version.state in (MemoVersion.State.QUEUED, MemoVersion.State.RENDERING):
        return Engagement.State.MEMO_RENDERING
    if version.state == MemoVersion.State.FAILED:
        return Engagement.State.MEMO_FAILED
    if not version.is_approved:
        return Engagement.State.MEMO_READY
    if version.deliveries.exists():
        return Engagement.State.SENT
    return Engagement.State.APPROVED


@transaction.atomic
def engagement_memo_state_sync(*, engagement: Engagement) -> str:
    """Sets the engagement's memo state from its newest version, and returns it.

    Queued or rendering → memo rendering; failed → memo failed; ready → memo ready;
    approved → approved; approved and sent to at least one board member → sent. What happened
    to older versions does not count: a v1 that fails or finishes after v2 was requested
    leaves the engagement showing v2's progress.

    Deliberately, a new version requested after the memo was sent moves the engagement from
    "sent" back to "memo rendering": the newest version decides, and the advisor should see
    the work in progress. The deliveries of the sent version stay listed and their links keep
    working. Revoking a link does not undo "sent": the email with the memo attached went out.
    An engagement without versions keeps the state it has.
    """
    _lock_engagement(engagement.pk)
    newest = MemoVersion.objects.filter(engagement_id=engagement.pk).order_by("-number").first()
    if newest is None:
        return engagement.state
    state = _state_for(newest)
    current = Engagement.objects.filter(pk=engagement.pk).values_list("state", flat=True).first()
    if current != state:
        engagement_set_state(engagement=engagement, state=state)
    engagement.state = state
    return state


# --- Request. --------------------------------------------------------------------------------


def _publish(version_id: int) -> None:
    """Hands the version to a worker; a broker outage leaves it queued for the sweep."""
    try:
        render_memo_version_task.delay(version_id)
    except Exception:
        # Deliberately broad: whatever the broker raised, the request has been recorded and
        # memo_sweep publishes it again when the broker is back.
        logger.exception("Could not publish memo version %s; the sweep will retry", version_id)


def _enqueue_on_commit(version_id: int) -> None:
    transaction.on_commit(lambda: _publish(version_id))


def _new_version(
    *,
    engagement: Engagement,
    actor: User | None,
    answers: dict,
    commentary: str,
    methodology_version: str,
    questionnaire_version: int,
    departure: Departure | None,
) -> MemoVersion:
    """A new version, or the newest one if it is still being prepared from the same answers
    and commentary: a double click on "Prepare the memo" must not make two memos.

    The returned version's ``reused`` says which. Only the newest version is reused: if the
    advisor asked for something else since, the repeated request is meant to come out on top.
    """
    # Lock the engagement so two requests at once get different numbers (or the same version).
    _lock_engagement(engagement.pk)
    sha = answers_sha256(answers)
    commentary = commentary.strip()
    newest = engagement.memo_versions.order_by("-number").first()
    judgement = {
        "advisor_recommendation": departure.recommendation if departure else "",
        "advisor_reporting_line": departure.reporting_line if departure else "",
        "departure_reason": departure.reason.strip() if departure else "",
    }
    if (
        newest is not None
        and newest.state in (MemoVersion.State.QUEUED, MemoVersion.State.RENDERING)
        and newest.answers_sha256 == sha
        and newest.commentary == commentary
        and all(getattr(newest, name) == value for name, value in judgement.items())
    ):
        newest.reused = True
        return newest
    return MemoVersion.objects.create(
        engagement=engagement,
        # The letterhead as it is now: later changes to the firm's branding (or a handover of
        # the engagement) never alter this version.
        branding=_branding_now(engagement.pk),
        number=(newest.number if newest else 0) + 1,
        methodology_version=methodology_version,
        questionnaire_version=questionnaire_version,
        template_version=TEMPLATE_VERSION,
        answers=answers,
        answers_sha256=sha,
        commentary=commentary,
        **judgement,
        board_meeting_date=engagement.board_meeting_date,
        requested_by=actor,
    )


def _queued(version: MemoVersion, *, actor: User | None, action: str, summary: str) -> None:
    """A version waits for a worker: the engagement shows it, the trail records who asked
    (the app itself, for a draft made when answers came in)."""
    engagement = version.engagement
    engagement_memo_state_sync(engagement=engagement)
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        actor_label="" if actor else APP_LABEL,
        action=action,
        summary=summary,
    )
    _enqueue_on_commit(version.pk)


def _departure_check(result: Result, departure: Departure | None) -> Departure | None:
    """The advisor's departure as the version keeps it: None when it is the method's own
    result; refused when it does not hold together."""
    if departure is None:
        return None
    if (departure.recommendation, departure.reporting_line) == (
        result.recommendation,
        result.reporting_line,
    ):
        return None
    seat = departure.recommendation in ("full_time_caio", "fractional_caio")
    if departure.recommendation not in RECOMMENDATION_LABELS or (
        seat != (departure.reporting_line in ("ceo", "cto_then_ceo"))
        or (not seat and departure.reporting_line != "none")
    ):
        raise MemoError("Choose a structure and a reporting line that go together.")
    if len(departure.reason.split()) < DEPARTURE_REASON_MIN_WORDS:
        raise MemoError(
            "Say why the memo departs from the method's result, in at least one full "
            f"sentence ({DEPARTURE_REASON_MIN_WORDS} words or more)."
        )
    return departure


@transaction.atomic
def memo_request(
    *,
    engagement: Engagement,
    actor: User,
    commentary: str = "",
    departure: Departure | None = None,
) -> MemoVersion:
    """A new memo version from the submitted answers, rendered by a worker after commit.

    The version snapshots the assessment as the engagement's methodology reads it: the CEO's
    answers and every perspective submitted by now (a perspective submitted later needs a new
    version). Asked again while the newest version is still being prepared from the same
    answers and commentary, it returns that version (``reused`` set) and records nothing new.
    """
    try:
        scored = engagement_result(engagement)
    except NotScorable as problem:
        raise MemoError(str(problem)) from None
    ceo = assessment_for(engagement)
    departure = _departure_check(scored.result, departure)
    version = _new_version(
        engagement=engagement,
        actor=actor,
        answers=scored.document,
        commentary=commentary,
        methodology_version=scored.result.methodology,
        questionnaire_version=ceo.questionnaire_version,
        departure=departure,
    )
    if version.reused:
        return version
    _queued(
        version,
        actor=actor,
        action="memo.requested",
        summary=f"Requested memo v{version.number}" + _departure_summary(scored.result, departure),
    )
    return version


@transaction.atomic
def memo_draft_prepare(*, engagement_id: int) -> MemoVersion | None:
    """A draft version from the answers submitted so far, so that the advisor who opens the
    engagement finds its preview ready. Runs when the CEO submits, and again when a leader's
    perspective arrives after that.

    The newest version's commentary and judgement carry over (a judgement that no longer
    holds against the new result is dropped: the draft shows the method's). Nothing is made
    when the newest version already holds these answers, or before the CEO has submitted.
    """
    engagement = (
        Engagement.objects.select_related("firm", "client", "lead_advisor")
        .filter(pk=engagement_id, archived_at__isnull=True)
        .first()
    )
    if engagement is None:
        return None
    try:
        scored = engagement_result(engagement)
    except NotScorable:
        return None
    newest = engagement.memo_versions.order_by("-number").first()
    if newest is not None and newest.answers_sha256 == answers_sha256(scored.document):
        return None
    try:
        departure = _departure_check(scored.result, version_departure(newest) if newest else None)
    except MemoError:
        departure = None
    version = _new_version(
        engagement=engagement,
        actor=None,
        answers=scored.document,
        commentary=newest.commentary if newest else "",
        methodology_version=scored.result.methodology,
        questionnaire_version=assessment_for(engagement).questionnaire_version,
        departure=departure,
    )
    if not version.reused:
        _queued(
            version,
            actor=None,
            action="memo.drafted",
            summary=f"Prepared draft memo v{version.number} from the answers submitted so far",
        )
    return version


def _departure_summary(result: Result, departure: Departure | None) -> str:
    if departure is None:
        return ""
    return (
        f", departing from the method's result ({result.recommendation} / "
        f"{result.reporting_line}) to recommend {departure.recommendation} / "
        f"{departure.reporting_line}: {departure.reason.strip()}"
    )


def version_result(version: MemoVersion) -> Result:
    """The method's result for a stored version, from its own snapshot and methodology."""
    return method_for(version.methodology_version).score(version.answers)


def version_departure(version: MemoVersion) -> Departure | None:
    if not version.departs:
        return None
    return Departure(
        recommendation=version.advisor_recommendation,
        reporting_line=version.advisor_reporting_line,
        reason=version.departure_reason,
    )


@transaction.atomic
def memo_revise(
    *,
    version: MemoVersion,
    actor: User,
    commentary: str,
    departure: Departure | None = None,
) -> MemoVersion:
    """New commentary or a new judgement means a new version: the answers snapshot (and its
    methodology) is carried over unchanged.

    Like :func:`memo_request`, a repeat while that version is being prepared returns it.
    """
    engagement = version.engagement
    departure = _departure_check(version_result(version), departure)
    new = _new_version(
        engagement=engagement,
        actor=actor,
        answers=version.answers,
        commentary=commentary,
        methodology_version=version.methodology_version,
        questionnaire_version=version.questionnaire_version,
        departure=departure,
    )
    if new.reused:
        return new
    _queued(
        new,
        actor=actor,
        action="memo.revised",
        summary=f"Changed the memo; requested memo v{new.number}"
        + _departure_summary(version_result(version), departure),
    )
    return new


@transaction.atomic
def memo_retry(*, version: MemoVersion, actor: User) -> MemoVersion:
    """Queues a failed version again, after its cause has been dealt with.

    Only the newest version: an older one has been replaced, and the advisor should work on
    the newest (retry it, or edit its commentary for a new one).
    """
    locked = lock_version(version_id=version.pk)
    if locked is None:
        raise MemoError("This memo no longer exists.")
    version = locked
    if version.state != MemoVersion.State.FAILED:
        raise MemoError("Only a failed memo can be retried.")
    require_newest(version=version, doing="retried")
    version.state = MemoVersion.State.QUEUED
    version.failure_reason = ""
    version.attempts = 0
    version.requested_at = timezone.now()
    version.save(update_fields=["state", "failure_reason", "attempts", "requested_at"])
    _queued(version, actor=actor, action="memo.retried", summary=f"Retried memo v{version.number}")
    return version


# --- Render (runs in the worker). ----------------------------------------------------------


def _advisor_name(advisor: User) -> str:
    return advisor.get_full_name() or advisor.email


def _branding_now(engagement_id: int) -> dict[str, str]:
    """The firm's branding and the lead advisor as the database holds them now (the caller's
    engagement object may have been loaded before a change)."""
    engagement = Engagement.objects.select_related("firm", "lead_advisor").get(pk=engagement_id)
    return {
        **firm_branding(engagement.firm),
        "advisor_name": _advisor_name(engagement.lead_advisor),
    }


def memo_input(version: MemoVersion) -> MemoInput:
    """The rendering input for a stored version: its own snapshot, branding included.

    Versions made before branding was kept with them take the firm's current branding."""
    engagement = version.engagement
    branding = version.branding or {
        **firm_branding(engagement.firm),
        "advisor_name": _advisor_name(engagement.lead_advisor),
    }
    logo = logo_read(branding["logo"])
    if branding["logo"] and logo is None:
        logger.warning("Logo %s could not be read; rendering without it", branding["logo"])
    return MemoInput(
        answers=version.answers,
        methodology_version=version.methodology_version,
        questionnaire_version=version.questionnaire_version,
        answers_sha256=version.answers_sha256,
        client_name=engagement.client.name,
        firm_name=branding["firm_name"],
        advisor_name=branding["advisor_name"],
        commentary=version.commentary,
        departure=version_departure(version),
        board_meeting=version.board_meeting_date,
        accent=branding["accent"],
        paper_size=branding["paper_size"],
        number=version.number,
        prepared_on=timezone.localdate(version.requested_at),
        logo=logo,
    )


def memo_pdf_name(version: MemoVersion) -> str:
    """Where a version's PDF lives: fixed by the version, so a second run cannot add a file."""
    return f"memos/{version.engagement_id}/v{version.number}-{version.answers_sha256[:12]}.pdf"


def _store(name: str, content: bytes) -> None:
    """Writes the version's file through the storage API (the file system, or object storage
    in a deployment on several hosts). The name is fixed by the version; a file left behind
    by an attempt that died before it was recorded is replaced, never kept beside."""
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(content))
    if stored != name:
        default_storage.delete(stored)
        raise OSError(f"storage kept the memo under {stored!r} instead of {name!r}")


def memo_fail(*, version_id: int, reason: str) -> None:
    """Marks a version failed with a reason the advisor can act on; a version that finished
    meanwhile is left as it is."""
    with transaction.atomic():
        version = lock_version(version_id=version_id)
        if version is None or version.state == MemoVersion.State.READY:
            return
        version.state = MemoVersion.State.FAILED
        version.failure_reason = reason[:_REASON_MAX]
        version.save(update_fields=["state", "failure_reason"])
        engagement = version.engagement
        # An older version failing after a newer one is ready (or sent) changes nothing.
        engagement_memo_state_sync(engagement=engagement)
        audit_record(
            firm=engagement.firm,
            engagement=engagement,
            actor_label=WORKER_LABEL,
            action="memo.failed",
            summary=f"Memo v{version.number} failed: {reason}",
        )
        notify_memo_failed(version=version)


def memo_render(*, version_id: int) -> MemoVersion | None:
    """Renders one queued version. Safe to run twice: a ready or failed version is left alone.

    Errors propagate: the task decides which are worth another try and fails the version
    (:func:`memo_fail`) for the rest.
    """
    with transaction.atomic():
        version = lock_version(version_id=version_id)
        if version is None or version.state in (
            MemoVersion.State.READY,
            MemoVersion.State.FAILED,
        ):
            return version
        version.state = MemoVersion.State.RENDERING
        version.attempts += 1
        version.render_started_at = timezone.now()
        version.save(update_fields=["state", "attempts", "render_started_at"])

    rendered = memo_pdf(memo_input(version))

    with transaction.atomic():
        version = lock_version(version_id=version_id)
        if version is None:
            return None  # deleted while it rendered
        if version.state == MemoVersion.State.READY:
            return version  # another delivery of the task finished first; keep its file
        name = memo_pdf_name(version)
        _store(name, rendered.pdf)
        version.pdf.name = name
        version.pdf_sha256 = rendered.sha256
        version.page_count = rendered.page_count
        version.size_bytes = rendered.size_bytes
        version.render_ms = rendered.render_ms
        version.rendered_at = timezone.now()
        version.state = MemoVersion.State.READY
        version.failure_reason = ""
        version.save()
        engagement = version.engagement
        # A newer version may already be rendering; only the newest decides the state.
        engagement_memo_state_sync(engagement=engagement)
        audit_record(
            firm=engagement.firm,
            engagement=engagement,
            actor_label=WORKER_LABEL,
            action="memo.rendered",
            summary=(
                f"Rendered memo v{version.number}: {rendered.page_count} pages "
                f"in {rendered.render_ms} ms"
            ),
        )
    return version


# --- Sweep (periodic). ---------------------------------------------------------------------


def memo_sweep() -> list[int]:
    """Publishes versions no worker has picked up, and gives up on ones that keep dying.

    Queued for longer than MEMO_REQUEUE_AFTER_SECONDS since it was requested (the broker was
    down, or the message was lost), or rendering for longer than the task's hard time limit
    since the worker started it (the worker died): publish again. After MEMO_MAX_ATTEMPTS
    such attempts the version is marked failed.
    """
    now = timezone.now()
    queued_before = now - timedelta(seconds=settings.MEMO_REQUEUE_AFTER_SECONDS)
    rendering_before = now - timedelta(seconds=settings.MEMO_RENDER_TIME_LIMIT + 30)
    stranded = list(
        MemoVersion.objects.filter(
            state=MemoVersion.State.QUEUED, requested_at__lt=queued_before
        ).values_list("pk", "attempts", "state")
    )
    # Versions that started rendering before render_started_at existed fall back to
    # requested_at, which bounds the start from below.
    stranded += list(
        MemoVersion.objects.filter(state=MemoVersion.State.RENDERING)
        .filter(
            Q(render_started_at__lt=rendering_before)
            | Q(render_started_at__isnull=True, requested_at__lt=rendering_before)
        )
        .values_list("pk", "attempts", "state")
    )
    published = []
    for pk, attempts, state in stranded:
        if attempts >= settings.MEMO_MAX_ATTEMPTS:
            memo_fail(
                version_id=pk,
                reason=(
                    f"Gave up after {attempts} attempts: no worker finished rendering it. "
                    "Check that the worker is running, then retry."
                ),
            )
            continue
        with transaction.atomic():
            # Push the clock it was judged by forward, so the next sweep waits again before
            # republishing.
            if state == MemoVersion.State.RENDERING:
                MemoVersion.objects.filter(pk=pk).update(render_started_at=now)
            else:
                MemoVersion.objects.filter(pk=pk).update(requested_at=now)
        _publish(pk)
        published.append(pk)
    if published:
        logger.info("Memo sweep published %s stranded version(s): %s", len(published), published)
    return published


# --- Approve. ------------------------------------------------------------------------------


class DepartureNotConfirmed(MemoError):
    """Approving a version that departs from the method's result needs a second confirmation."""


@transaction.atomic
def memo_approve(
    *, version: MemoVersion, actor: User, departure_confirmed: bool = False
) -> MemoVersion:
    """Marks the newest, ready version approved. From then on it never changes; edits make a
    new one. An older version cannot be approved: it has been replaced. A version whose
    recommendation departs from the method's result is approved only once the advisor has
    confirmed it a second time."""
    locked = lock_version(version_id=version.pk)
    if locked is None:
        raise MemoError("This memo no longer exists.")
    version = locked
    require_newest(version=version, doing="approved")
    if version.state != MemoVersion.State.READY:
        raise MemoError("Only a memo that has finished rendering can be approved.")
    if version.is_approved:
        raise MemoError(f"Memo v{version.number} is already approved.")
    if version.departs and not departure_confirmed:
        raise DepartureNotConfirmed(
            f"Memo v{version.number} departs from the method's result; confirm to approve it."
        )
    version.approved_by = actor
    version.approved_at = timezone.now()
    version.save(update_fields=["approved_by", "approved_at"])
    engagement = version.engagement
    engagement_memo_state_sync(engagement=engagement)
    audit_record(
        firm=engagement.firm,
        engagement=engagement,
        actor=actor,
        action="memo.approved",
        summary=f"Approved memo v{version.number}"
        + (", which departs from the method's result" if version.departs else ""),
    )
    return version
