from enum import StrEnum

class ProjectRole(StrEnum):
    MAINTAINER = "maintainer"
    MEMBER = "member"
    OWNER = "owner"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
