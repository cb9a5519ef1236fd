"""The lead advisor's notifications about memos: one failed to render, or every director
it was sent to has opened it (``advisory.notifications`` sends them)."""

from __future__ import annotations

from advisory.models import Person
from advisory.notifications import BOARD_READ, MEMO_FAILURE, advisor_notify
from reports.models import MemoVersion


def notify_memo_failed(*, version: MemoVersion) -> None:
    advisor_notify(
        engagement=version.engagement,
        switch=MEMO_FAILURE,
        key=f"memo-failed:{version.pk}",
        template="reports/email/memo_failed_notification",
        context={"version": version},
        about=f"memo v{version.number} failed to render",
    )


def notify_board_read(*, version: MemoVersion) -> None:
    """Once every board member who holds a link to this version has opened it."""
    directors = version.deliveries.filter(person__role=Person.Role.BOARD, revoked_at__isnull=True)
    if not directors.exists() or directors.filter(download_count=0).exists():
        return
    advisor_notify(
        engagement=version.engagement,
        switch=BOARD_READ,
        key=f"board-read:{version.pk}",
        template="reports/email/board_read_notification",
        context={"version": version, "count": directors.count()},
        about=f"every board member has opened memo v{version.number}",
    )
