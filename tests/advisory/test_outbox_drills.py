"""Outbox drills against a real SMTP server (aiosmtpd, in this process), a real worker, Redis
and PostgreSQL: a server that refuses and then accepts, and a worker killed between handing
a message over and recording it."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from advisory.emails import EmailDraft
from advisory.models import Email
from advisory.outbox import email_queue, outbox_sweep
from tests.conftest import needs_redis, require_postgresql, running_worker

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    needs_redis,
]


class Mailbox:
    """The SMTP server's side: refuses with a temporary error while ``refusing``; keeps the
    Message-ID of everything it accepts; can hold its answer to the first message."""

    def __init__(self) -> None:
        self.refusing = False
        self.refused = 0
        self.accepted: list[str] = []
        self.hold_first = False
        self.first_arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook
        if self.refusing:
            self.refused += 1
            return "451 4.3.0 Busy, try again later"
        message_id = email.message_from_bytes(envelope.content)["Message-ID"]
        self.accepted.append(message_id)
        if self.hold_first and not self.first_arrived.is_set():
            # The message is in; the "250 OK" waits, as if the line were slow.
            self.first_arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(settings) -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.EMAIL_TIMEOUT = 10
    box.port = controller.port
    yield box
    box.release.set()
    controller.stop()


def queue(firm, count: int) -> list[Email]:
    with transaction.atomic():  # committed, so the send tasks are published
        return [
            email_queue(
                EmailDraft(
                    to=f"director{n}@acme.example",
                    subject=f"Memo {n}",
                    text="Your copy is waiting.",
                    html="<p>Your copy is waiting.</p>",
                    from_email="Northgate <memos@localhost>",
                ),
                kind=Email.Kind.BOARD_MEMO,
                firm=firm,
            )
            for n in range(count)
        ]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting until {what}")


def rows(emails: list[Email]) -> list[Email]:
    return list(Email.objects.filter(pk__in=[e.pk for e in emails]).order_by("pk"))


def test_a_server_that_refuses_then_accepts_gets_each_message_exactly_once(
    firm, mailbox, settings, django_db_blocker
):
    require_postgresql()
    settings.EMAIL_RETRY_SECONDS = 0.3
    mailbox.refusing = True
    with running_worker(django_db_blocker):
        emails = queue(firm, 3)
        # Each refusal is recorded on its row, with the plain reason, and waits for a retry.
        wait_for(
            lambda: all(e.attempts >= 1 and "busy" in e.failure_reason for e in rows(emails)),
            30,
            "every refusal was recorded",
        )
        assert all(e.state == Email.State.QUEUED for e in rows(emails))
        mailbox.refusing = False
        wait_for(
            lambda: all(e.state == Email.State.SENT for e in rows(emails)), 60, "all were sent"
        )
    sent = rows(emails)
    assert mailbox.refused >= 3
    assert Counter(mailbox.accepted) == Counter(e.message_id for e in sent)  # once each
    assert all(e.attempts >= 2 and e.failure_reason == "" for e in sent)


def test_a_worker_killed_between_sending_and_recording_loses_nothing(
    firm, mailbox, workers, settings
):
    mailbox.hold_first = True
    env = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mailbox.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_RETRY_SECONDS": "1",
    }
    first = workers(env)
    (queued,) = queue(firm, 1)
    # The server has the message; the worker waits for its "250 OK" and is killed.
    assert mailbox.first_arrived.wait(60), "the worker never handed the message over"
    first.kill()
    mailbox.release.set()
    queued.refresh_from_db()
    assert queued.state == Email.State.QUEUED  # the attempt was never recorded: not lost

    # The beat's sweep publishes it again, and a new worker sends it.
    settings.EMAIL_REQUEUE_AFTER_SECONDS = 0
    workers(env)
    assert outbox_sweep() == [queued.pk]
    wait_for(lambda: Email.objects.get(pk=queued.pk).state == Email.State.SENT, 60, "it was sent")
    # At least once: the server got it twice, both copies the same message to mail clients.
    assert mailbox.accepted == [queued.message_id, queued.message_id]
    assert Email.objects.get(pk=queued.pk).attempts == 1
