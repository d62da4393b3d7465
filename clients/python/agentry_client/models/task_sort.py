from enum import StrEnum

class TaskSort(StrEnum):
    CREATED_AT = "created_at"
    PRIORITY = "priority"
    VALUE_0 = "-created_at"
    VALUE_2 = "-priority"

    def __str__(self) -> str:
        return str(self.value)
