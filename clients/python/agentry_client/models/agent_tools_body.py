from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.runner_tools_body import RunnerToolsBody





T = TypeVar("T", bound="AgentToolsBody")



@_attrs_define
class AgentToolsBody:
    """ 
        Attributes:
            project_id (None | UUID):
            runners (list[RunnerToolsBody]): The default runner first, then by name
     """

    project_id: None | UUID
    runners: list[RunnerToolsBody]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.runner_tools_body import RunnerToolsBody # noqa: PLC0415
        project_id: None | str
        if isinstance(self.project_id, UUID):
            project_id = str(self.project_id)
        else:
            project_id = self.project_id

        runners = []
        for runners_item_data in self.runners:
            runners_item = runners_item_data.to_dict()
            runners.append(runners_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "project_id": project_id,
            "runners": runners,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.runner_tools_body import RunnerToolsBody # noqa: PLC0415
        d = dict(src_dict)
        def _parse_project_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                project_id_type_0 = UUID(data)



                return project_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        project_id = _parse_project_id(d.pop("project_id"))


        runners = []
        _runners = d.pop("runners")
        for runners_item_data in (_runners):
            runners_item = RunnerToolsBody.from_dict(runners_item_data)



            runners.append(runners_item)


        agent_tools_body = cls(
            project_id=project_id,
            runners=runners,
        )


        agent_tools_body.additional_properties = d
        return agent_tools_body

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
