from enum import StrEnum

class LogKind(StrEnum):
    ASSISTANT = "assistant"
    RESULT = "result"
    STDERR = "stderr"
    SYSTEM = "system"
    TOOL_RESULT = "tool_result"
    TOOL_USE = "tool_use"

    def __str__(self) -> str:
        return str(self.value)
