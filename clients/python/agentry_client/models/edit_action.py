from enum import StrEnum

class EditAction(StrEnum):
    CREATED = "created"
    DELETED = "deleted"
    EDITED = "edited"
    MERGED = "merged"
    SPLIT = "split"

    def __str__(self) -> str:
        return str(self.value)
