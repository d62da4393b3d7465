from enum import StrEnum

class ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType(StrEnum):
    TEXTHTML = "text/html"
    TEXTMARKDOWN = "text/markdown"
    TEXTPLAIN = "text/plain"

    def __str__(self) -> str:
        return str(self.value)
