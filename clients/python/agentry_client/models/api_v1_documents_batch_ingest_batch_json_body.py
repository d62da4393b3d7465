from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.api_v1_documents_batch_ingest_batch_json_body_documents_item import ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem





T = TypeVar("T", bound="ApiV1DocumentsBatchIngestBatchJsonBody")



@_attrs_define
class ApiV1DocumentsBatchIngestBatchJsonBody:
    """ 
        Attributes:
            documents (list[ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem]):
            project_id (None | Unset | UUID): The project (absent or null: your personal project)
     """

    documents: list[ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem]
    project_id: None | Unset | UUID = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.api_v1_documents_batch_ingest_batch_json_body_documents_item import ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem # noqa: PLC0415
        documents = []
        for documents_item_data in self.documents:
            documents_item = documents_item_data.to_dict()
            documents.append(documents_item)



        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        elif isinstance(self.project_id, UUID):
            project_id = str(self.project_id)
        else:
            project_id = self.project_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "documents": documents,
        })
        if project_id is not UNSET:
            field_dict["project_id"] = project_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_v1_documents_batch_ingest_batch_json_body_documents_item import ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem # noqa: PLC0415
        d = dict(src_dict)
        documents = []
        _documents = d.pop("documents")
        for documents_item_data in (_documents):
            documents_item = ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem.from_dict(documents_item_data)



            documents.append(documents_item)


        def _parse_project_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                project_id_type_0 = UUID(data)



                return project_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))


        api_v1_documents_batch_ingest_batch_json_body = cls(
            documents=documents,
            project_id=project_id,
        )

        return api_v1_documents_batch_ingest_batch_json_body

