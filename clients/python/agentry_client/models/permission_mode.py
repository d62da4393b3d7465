from enum import StrEnum

class PermissionMode(StrEnum):
    ACCEPTEDITS = "acceptEdits"
    BYPASSPERMISSIONS = "bypassPermissions"
    DEFAULT = "default"
    PLAN = "plan"

    def __str__(self) -> str:
        return str(self.value)
