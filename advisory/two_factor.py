"""Two-factor sign-in: a code from an authenticator app (TOTP), or a one-time recovery code.

Built on django-otp: a confirmed TOTPDevice is the authenticator, a StaticDevice holds the
recovery codes. django-otp throttles wrong guesses per device (each failure doubles the wait);
the views add per-address and per-account rate limits on top.

A session counts as signed in with two factors once :func:`django_otp.login` has recorded the
device in it (``request.user.is_verified()``). :func:`two_factor_step` says what a signed-in
session still owes, and the middleware keeps it on that page until it is paid.
"""

from __future__ import annotations

import base64
import io
import math
from base64 import b32encode
from urllib.parse import quote, urlencode

import qrcode
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from advisory.accounts import sessions_end
from advisory.audit import audit_record
from advisory.models import Membership, User

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
ISSUER = "AI leadership assessments"

VERIFY = "verify"
SET_UP = "set_up"


class TwoFactorError(Exception):
    """The code was not accepted; the message says why and what to do."""


def authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_step(user: User) -> str | None:
    """What this signed-in session still owes: VERIFY (the account has an authenticator and
    the session has not given a code), SET_UP (the firm requires two-factor and the account
    has none), or None."""
    if user.is_verified():
        return None
    if has_two_factor(user):
        return VERIFY
    try:
        firm = user.membership.firm  # cached on the user for the page's own use
    except Membership.DoesNotExist:
        return None
    return SET_UP if firm.require_two_factor else None


# --- Setting it up. ------------------------------------------------------------------------


@transaction.atomic
def authenticator_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same one until it is confirmed, so
    reloading the page does not change the code the person has just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode("ascii")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def otpauth_url(device: TOTPDevice) -> str:
    """The address an authenticator app reads from the QR code (the Key Uri Format)."""
    label = quote(f"{ISSUER}:{device.user.email}")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode("ascii").rstrip("="),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{label}?{params}"


def qr_data_url(text: str) -> str:
    """A QR code of ``text`` as a data: PNG (the pages' CSP allows data: images only)."""
    image = qrcode.make(text, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _throttled(device: TOTPDevice | StaticDevice) -> None:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        until = (details or {}).get("locked_until")
        wait = math.ceil((until - timezone.now()).total_seconds()) if until else 60
        raise TwoFactorError(
            f"Too many wrong codes in a row. Wait {max(wait, 1)} second{'s' if wait != 1 else ''}, "
            "then enter the newest code your app shows."
        )


def authenticator_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the authenticator with a code it shows, and returns fresh recovery codes.

    Every other session of the account ends: a session that signed in with only the password
    must not carry on as if nothing had changed.
    """
    _throttled(device)
    # Not inside the transaction below: a wrong code's throttling must be kept.
    if verify_token(device.user, device.persistent_id, _normalised(code)) is None:
        raise TwoFactorError(
            "That code did not match. Enter the 6-digit code your app shows now; "
            "if it keeps failing, check that the phone's clock is set automatically."
        )
    with transaction.atomic():
        user = device.user
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = recovery_codes_regenerate(user=user)
        sessions_end(user=user)
        _audit(user, "two_factor.enabled", f"{user} turned on two-factor sign-in")
    return codes


# --- Recovery codes. -----------------------------------------------------------------------


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Ten new one-time recovery codes; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes(user: User) -> list[str]:
    """The recovery codes not used yet."""
    return list(
        StaticToken.objects.filter(device__user=user, device__confirmed=True)
        .order_by("pk")
        .values_list("token", flat=True)
    )


# --- Signing in. ---------------------------------------------------------------------------


def two_factor_verify(*, user: User, code: str) -> TOTPDevice | StaticDevice:
    """The device that accepts ``code`` (a 6-digit code or a recovery code), or TwoFactorError.

    A recovery code works once: it is deleted as it is accepted.
    """
    code = _normalised(code)
    if code.isdigit() and len(code) == 6:
        device = authenticator(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise TwoFactorError("That code did not match. Enter the 6-digit code your app shows.")
    _throttled(device)
    verified = verify_token(user, device.persistent_id, code)
    if verified is None:
        raise TwoFactorError(
            "That code did not match. Enter the 6-digit code your app shows now, "
            "or one of your recovery codes."
        )
    if isinstance(verified, StaticDevice):
        left = verified.token_set.count()
        _audit(
            user,
            "two_factor.recovery_code_used",
            f"{user} signed in with a recovery code ({left} left)",
        )
    return verified


def _devices_delete(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_remove(*, user: User) -> None:
    """The person takes their authenticator and recovery codes off their account. Where the
    firm requires two-factor, they are asked to set up a new authenticator at once."""
    _devices_delete(user)
    _audit(user, "two_factor.removed", f"{user} turned off two-factor sign-in")


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    """Someone else (an owner, an operator) takes them away for a person who lost both their
    phone and their recovery codes; the caller records who did. Their sessions end."""
    _devices_delete(user)
    sessions_end(user=user)


def _audit(user: User, action: str, summary: str) -> None:
    membership = Membership.objects.filter(user=user).select_related("firm").first()
    if membership is not None:
        audit_record(firm=membership.firm, actor=user, action=action, summary=summary)
