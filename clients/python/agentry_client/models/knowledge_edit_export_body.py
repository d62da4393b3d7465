from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.edit_action import EditAction
from ..models.fact_kind import FactKind
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.knowledge_edit_export_body_changes import KnowledgeEditExportBodyChanges





T = TypeVar("T", bound="KnowledgeEditExportBody")



@_attrs_define
class KnowledgeEditExportBody:
    """ 
        Attributes:
            action (EditAction):
            at (str):
            changes (KnowledgeEditExportBodyChanges): What you set (empty for a deletion)
            fact (FactKind):
            fact_id (UUID):
            id (UUID):
            project_id (UUID):
     """

    action: EditAction
    at: str
    changes: KnowledgeEditExportBodyChanges
    fact: FactKind
    fact_id: UUID
    id: UUID
    project_id: UUID





    def to_dict(self) -> dict[str, Any]:
        from ..models.knowledge_edit_export_body_changes import KnowledgeEditExportBodyChanges # noqa: PLC0415
        action = self.action.value

        at = self.at

        changes = self.changes.to_dict()

        fact = self.fact.value

        fact_id = str(self.fact_id)

        id = str(self.id)

        project_id = str(self.project_id)


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "action": action,
            "at": at,
            "changes": changes,
            "fact": fact,
            "fact_id": fact_id,
            "id": id,
            "project_id": project_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.knowledge_edit_export_body_changes import KnowledgeEditExportBodyChanges # noqa: PLC0415
        d = dict(src_dict)
        action = EditAction(d.pop("action"))




        at = d.pop("at")

        changes = KnowledgeEditExportBodyChanges.from_dict(d.pop("changes"))




        fact = FactKind(d.pop("fact"))




        fact_id = UUID(d.pop("fact_id"))




        id = UUID(d.pop("id"))




        project_id = UUID(d.pop("project_id"))




        knowledge_edit_export_body = cls(
            action=action,
            at=at,
            changes=changes,
            fact=fact,
            fact_id=fact_id,
            id=id,
            project_id=project_id,
        )

        return knowledge_edit_export_body

