from enum import StrEnum

class ExtractorKind(StrEnum):
    ANTHROPIC = "anthropic"
    HUMAN = "human"
    OFFLINE = "offline"

    def __str__(self) -> str:
        return str(self.value)
