"""Accounts' own views: Django's, but for lifting a sign-in lock once the password is reset."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.contrib.auth import views as auth
from django.http import HttpResponse


class PasswordResetConfirmView(auth.PasswordResetConfirmView):
    """Setting a new password from the e-mailed link proves the mailbox is the account's:
    a sign-in lock on its username (steerco.accounts.lockout) is lifted with it."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        reset(username=form.user.get_username())
        return response
