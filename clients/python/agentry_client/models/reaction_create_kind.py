from enum import StrEnum

class ReactionCreateKind(StrEnum):
    CELEBRATE = "celebrate"
    INSIGHTFUL = "insightful"
    LIKE = "like"

    def __str__(self) -> str:
        return str(self.value)
