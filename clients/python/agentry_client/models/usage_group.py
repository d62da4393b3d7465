from enum import StrEnum

class UsageGroup(StrEnum):
    DAY = "day"
    MODEL = "model"
    PROJECT = "project"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
