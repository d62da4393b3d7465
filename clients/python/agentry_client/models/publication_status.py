from enum import StrEnum

class PublicationStatus(StrEnum):
    ARCHIVED = "archived"
    DRAFT = "draft"
    PUBLISHED = "published"
    REVIEW = "review"

    def __str__(self) -> str:
        return str(self.value)
