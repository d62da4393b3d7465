from enum import StrEnum

class RevokeReason(StrEnum):
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password_changed"
    REFRESH_TOKEN_REUSE = "refresh_token_reuse"
    USER_DEACTIVATED = "user_deactivated"

    def __str__(self) -> str:
        return str(self.value)
