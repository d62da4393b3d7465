from enum import StrEnum

class RelationshipUpdateStatus(StrEnum):
    CANDIDATE = "candidate"
    GRAPH = "graph"

    def __str__(self) -> str:
        return str(self.value)
