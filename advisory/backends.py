"""Signing in: Django's own check of email and password, with one change to how the
signed-in account is read on every request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser

from advisory.models import User


class FirmModelBackend(ModelBackend):
    """Reads the signed-in account with its membership and firm in one query: every page an
    advisor opens shows the firm and checks the membership."""

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        try:
            user = User._default_manager.select_related("membership__firm").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
