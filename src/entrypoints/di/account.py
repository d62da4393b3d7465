"""The caller's own account: profile, password, personal API tokens and the data export."""

from __future__ import annotations

from dishka import Provider, Scope, provide_all

from agentry.application.account.api_tokens import CreateApiToken, ListApiTokens, RevokeApiToken
from agentry.application.account.change_password import ChangePassword
from agentry.application.account.export_account import ExportAccount
from agentry.application.account.update_profile import UpdateProfile


class AccountProvider(Provider):
    scope = Scope.REQUEST

    use_cases = provide_all(UpdateProfile, ChangePassword, ExportAccount, CreateApiToken, ListApiTokens, RevokeApiToken)
