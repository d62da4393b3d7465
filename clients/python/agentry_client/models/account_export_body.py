from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.api_token_body import ApiTokenBody
  from ..models.chat_session_export_body import ChatSessionExportBody
  from ..models.document_export_body import DocumentExportBody
  from ..models.invitation_export_body import InvitationExportBody
  from ..models.knowledge_edit_export_body import KnowledgeEditExportBody
  from ..models.login_session_body import LoginSessionBody
  from ..models.membership_export_body import MembershipExportBody
  from ..models.publication_body import PublicationBody
  from ..models.task_export_body import TaskExportBody
  from ..models.user_body import UserBody





T = TypeVar("T", bound="AccountExportBody")



@_attrs_define
class AccountExportBody:
    """ 
        Attributes:
            account (UserBody):
            api_tokens (list[ApiTokenBody]): Your personal API tokens (never their secrets)
            chat_sessions (list[ChatSessionExportBody]): Your chat sessions in projects you can still read, latest activity
                first
            documents (list[DocumentExportBody]): The documents you uploaded in projects you can still read, with their
                text, newest first
            exported_at (str):
            format_version (int): 1 for this shape
            invitations (list[InvitationExportBody]): Pending invitations to your address, newest first
            knowledge_edits (list[KnowledgeEditExportBody]): Your corrections of knowledge graphs in projects you can still
                read, oldest first
            login_sessions (list[LoginSessionBody]): Every login, oldest first
            memberships (list[MembershipExportBody]): Your projects, in slug order
            publications (list[PublicationBody]): The publications you authored in projects you can still read, with their
                status history, newest first
            tasks (list[TaskExportBody]): The tasks you submitted in projects you can still read, oldest first
     """

    account: UserBody
    api_tokens: list[ApiTokenBody]
    chat_sessions: list[ChatSessionExportBody]
    documents: list[DocumentExportBody]
    exported_at: str
    format_version: int
    invitations: list[InvitationExportBody]
    knowledge_edits: list[KnowledgeEditExportBody]
    login_sessions: list[LoginSessionBody]
    memberships: list[MembershipExportBody]
    publications: list[PublicationBody]
    tasks: list[TaskExportBody]





    def to_dict(self) -> dict[str, Any]:
        from ..models.api_token_body import ApiTokenBody # noqa: PLC0415
        from ..models.chat_session_export_body import ChatSessionExportBody # noqa: PLC0415
        from ..models.document_export_body import DocumentExportBody # noqa: PLC0415
        from ..models.invitation_export_body import InvitationExportBody # noqa: PLC0415
        from ..models.knowledge_edit_export_body import KnowledgeEditExportBody # noqa: PLC0415
        from ..models.login_session_body import LoginSessionBody # noqa: PLC0415
        from ..models.membership_export_body import MembershipExportBody # noqa: PLC0415
        from ..models.publication_body import PublicationBody # noqa: PLC0415
        from ..models.task_export_body import TaskExportBody # noqa: PLC0415
        from ..models.user_body import UserBody # noqa: PLC0415
        account = self.account.to_dict()

        api_tokens = []
        for api_tokens_item_data in self.api_tokens:
            api_tokens_item = api_tokens_item_data.to_dict()
            api_tokens.append(api_tokens_item)



        chat_sessions = []
        for chat_sessions_item_data in self.chat_sessions:
            chat_sessions_item = chat_sessions_item_data.to_dict()
            chat_sessions.append(chat_sessions_item)



        documents = []
        for documents_item_data in self.documents:
            documents_item = documents_item_data.to_dict()
            documents.append(documents_item)



        exported_at = self.exported_at

        format_version = self.format_version

        invitations = []
        for invitations_item_data in self.invitations:
            invitations_item = invitations_item_data.to_dict()
            invitations.append(invitations_item)



        knowledge_edits = []
        for knowledge_edits_item_data in self.knowledge_edits:
            knowledge_edits_item = knowledge_edits_item_data.to_dict()
            knowledge_edits.append(knowledge_edits_item)



        login_sessions = []
        for login_sessions_item_data in self.login_sessions:
            login_sessions_item = login_sessions_item_data.to_dict()
            login_sessions.append(login_sessions_item)



        memberships = []
        for memberships_item_data in self.memberships:
            memberships_item = memberships_item_data.to_dict()
            memberships.append(memberships_item)



        publications = []
        for publications_item_data in self.publications:
            publications_item = publications_item_data.to_dict()
            publications.append(publications_item)



        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "account": account,
            "api_tokens": api_tokens,
            "chat_sessions": chat_sessions,
            "documents": documents,
            "exported_at": exported_at,
            "format_version": format_version,
            "invitations": invitations,
            "knowledge_edits": knowledge_edits,
            "login_sessions": login_sessions,
            "memberships": memberships,
            "publications": publications,
            "tasks": tasks,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_token_body import ApiTokenBody # noqa: PLC0415
        from ..models.chat_session_export_body import ChatSessionExportBody # noqa: PLC0415
        from ..models.document_export_body import DocumentExportBody # noqa: PLC0415
        from ..models.invitation_export_body import InvitationExportBody # noqa: PLC0415
        from ..models.knowledge_edit_export_body import KnowledgeEditExportBody # noqa: PLC0415
        from ..models.login_session_body import LoginSessionBody # noqa: PLC0415
        from ..models.membership_export_body import MembershipExportBody # noqa: PLC0415
        from ..models.publication_body import PublicationBody # noqa: PLC0415
        from ..models.task_export_body import TaskExportBody # noqa: PLC0415
        from ..models.user_body import UserBody # noqa: PLC0415
        d = dict(src_dict)
        account = UserBody.from_dict(d.pop("account"))




        api_tokens = []
        _api_tokens = d.pop("api_tokens")
        for api_tokens_item_data in (_api_tokens):
            api_tokens_item = ApiTokenBody.from_dict(api_tokens_item_data)



            api_tokens.append(api_tokens_item)


        chat_sessions = []
        _chat_sessions = d.pop("chat_sessions")
        for chat_sessions_item_data in (_chat_sessions):
            chat_sessions_item = ChatSessionExportBody.from_dict(chat_sessions_item_data)



            chat_sessions.append(chat_sessions_item)


        documents = []
        _documents = d.pop("documents")
        for documents_item_data in (_documents):
            documents_item = DocumentExportBody.from_dict(documents_item_data)



            documents.append(documents_item)


        exported_at = d.pop("exported_at")

        format_version = d.pop("format_version")

        invitations = []
        _invitations = d.pop("invitations")
        for invitations_item_data in (_invitations):
            invitations_item = InvitationExportBody.from_dict(invitations_item_data)



            invitations.append(invitations_item)


        knowledge_edits = []
        _knowledge_edits = d.pop("knowledge_edits")
        for knowledge_edits_item_data in (_knowledge_edits):
            knowledge_edits_item = KnowledgeEditExportBody.from_dict(knowledge_edits_item_data)



            knowledge_edits.append(knowledge_edits_item)


        login_sessions = []
        _login_sessions = d.pop("login_sessions")
        for login_sessions_item_data in (_login_sessions):
            login_sessions_item = LoginSessionBody.from_dict(login_sessions_item_data)



            login_sessions.append(login_sessions_item)


        memberships = []
        _memberships = d.pop("memberships")
        for memberships_item_data in (_memberships):
            memberships_item = MembershipExportBody.from_dict(memberships_item_data)



            memberships.append(memberships_item)


        publications = []
        _publications = d.pop("publications")
        for publications_item_data in (_publications):
            publications_item = PublicationBody.from_dict(publications_item_data)



            publications.append(publications_item)


        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in (_tasks):
            tasks_item = TaskExportBody.from_dict(tasks_item_data)



            tasks.append(tasks_item)


        account_export_body = cls(
            account=account,
            api_tokens=api_tokens,
            chat_sessions=chat_sessions,
            documents=documents,
            exported_at=exported_at,
            format_version=format_version,
            invitations=invitations,
            knowledge_edits=knowledge_edits,
            login_sessions=login_sessions,
            memberships=memberships,
            publications=publications,
            tasks=tasks,
        )

        return account_export_body

