from enum import StrEnum

class FactKind(StrEnum):
    ENTITY = "entity"
    RELATIONSHIP = "relationship"

    def __str__(self) -> str:
        return str(self.value)
