""" Contains all the data models used in inputs/outputs """

from .account_deletion import AccountDeletion
from .account_export_body import AccountExportBody
from .adopted_body import AdoptedBody
from .agent_tools_body import AgentToolsBody
from .api_token_body import ApiTokenBody
from .api_token_create import ApiTokenCreate
from .api_token_page_body import ApiTokenPageBody
from .api_v1_agent_chat_session_id_events_events_response_200 import ApiV1AgentChatSessionIdEventsEventsResponse200
from .api_v1_documents_batch_ingest_batch_files_body import ApiV1DocumentsBatchIngestBatchFilesBody
from .api_v1_documents_batch_ingest_batch_json_body import ApiV1DocumentsBatchIngestBatchJsonBody
from .api_v1_documents_batch_ingest_batch_json_body_documents_item import ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem
from .api_v1_documents_batch_ingest_batch_json_body_documents_item_media_type import ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType
from .api_v1_documents_ingest_files_body import ApiV1DocumentsIngestFilesBody
from .api_v1_documents_ingest_files_body_media_type import ApiV1DocumentsIngestFilesBodyMediaType
from .api_v1_documents_ingest_json_body import ApiV1DocumentsIngestJsonBody
from .api_v1_documents_ingest_json_body_media_type import ApiV1DocumentsIngestJsonBodyMediaType
from .api_v1_public_projects_project_id_chat_session_id_events_events_response_200 import ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200
from .api_v1_tasks_task_id_events_events_response_200 import ApiV1TasksTaskIdEventsEventsResponse200
from .attempt_body import AttemptBody
from .backlog_body import BacklogBody
from .batch_body import BatchBody
from .batch_status_body import BatchStatusBody
from .batch_status_body_counts import BatchStatusBodyCounts
from .budget_problem import BudgetProblem
from .chat_message_body import ChatMessageBody
from .chat_message_body_error_type_0 import ChatMessageBodyErrorType0
from .chat_send import ChatSend
from .chat_send_options_type_0 import ChatSendOptionsType0
from .chat_session_body import ChatSessionBody
from .chat_session_export_body import ChatSessionExportBody
from .chat_tool_call_body import ChatToolCallBody
from .chat_turn_export_body import ChatTurnExportBody
from .chat_usage_body import ChatUsageBody
from .check import Check
from .chunk_body import ChunkBody
from .citation_body import CitationBody
from .counted_body import CountedBody
from .day_body import DayBody
from .day_body_reactions import DayBodyReactions
from .delivery_body import DeliveryBody
from .document_body import DocumentBody
from .document_export_body import DocumentExportBody
from .document_page_body import DocumentPageBody
from .document_status import DocumentStatus
from .document_with_chunks_body import DocumentWithChunksBody
from .draft_create import DraftCreate
from .draft_create_options_type_0 import DraftCreateOptionsType0
from .draft_task_body import DraftTaskBody
from .drafting_body import DraftingBody
from .edit_action import EditAction
from .engagement_body import EngagementBody
from .entity_body import EntityBody
from .entity_body_properties import EntityBodyProperties
from .entity_create import EntityCreate
from .entity_create_properties import EntityCreateProperties
from .entity_hit_body import EntityHitBody
from .entity_page_body import EntityPageBody
from .entity_span_body import EntitySpanBody
from .entity_update import EntityUpdate
from .entity_update_properties import EntityUpdateProperties
from .entity_update_status import EntityUpdateStatus
from .error_body import ErrorBody
from .execution_body import ExecutionBody
from .execution_export_body import ExecutionExportBody
from .execution_page_body import ExecutionPageBody
from .execution_status import ExecutionStatus
from .extracted_body import ExtractedBody
from .extracted_body_properties import ExtractedBodyProperties
from .extractor_kind import ExtractorKind
from .fact_kind import FactKind
from .field_error import FieldError
from .follow_up_create import FollowUpCreate
from .global_role import GlobalRole
from .history_body import HistoryBody
from .ingestion_body import IngestionBody
from .invitation_body import InvitationBody
from .invitation_create import InvitationCreate
from .invitation_export_body import InvitationExportBody
from .job_body import JobBody
from .job_status_body import JobStatusBody
from .joined_body import JoinedBody
from .knowledge_edit_export_body import KnowledgeEditExportBody
from .knowledge_edit_export_body_changes import KnowledgeEditExportBodyChanges
from .liveness import Liveness
from .log_kind import LogKind
from .log_level import LogLevel
from .log_line_body import LogLineBody
from .log_line_body_data import LogLineBodyData
from .log_page_body import LogPageBody
from .login_body import LoginBody
from .login_session_body import LoginSessionBody
from .logout_body import LogoutBody
from .media_type import MediaType
from .member_body import MemberBody
from .member_update import MemberUpdate
from .membership_export_body import MembershipExportBody
from .mention_body import MentionBody
from .mention_ref import MentionRef
from .merge_body import MergeBody
from .new_api_token_body import NewApiTokenBody
from .not_ready import NotReady
from .not_ready_checks_type_0 import NotReadyChecksType0
from .password_change import PasswordChange
from .path_body import PathBody
from .permission_mode import PermissionMode
from .priority import Priority
from .problem import Problem
from .profile_update import ProfileUpdate
from .project_allows_body import ProjectAllowsBody
from .project_body import ProjectBody
from .project_create import ProjectCreate
from .project_page_body import ProjectPageBody
from .project_role import ProjectRole
from .project_settings_body import ProjectSettingsBody
from .project_settings_changes import ProjectSettingsChanges
from .project_update import ProjectUpdate
from .public_chat_body import PublicChatBody
from .public_citation_body import PublicCitationBody
from .public_send import PublicSend
from .publication_body import PublicationBody
from .publication_create import PublicationCreate
from .publication_page_body import PublicationPageBody
from .publication_status import PublicationStatus
from .publication_update import PublicationUpdate
from .published_body import PublishedBody
from .published_page_body import PublishedPageBody
from .rate_limit_problem import RateLimitProblem
from .reaction_create import ReactionCreate
from .reaction_create_kind import ReactionCreateKind
from .readiness import Readiness
from .readiness_checks_type_0 import ReadinessChecksType0
from .received_invitation_body import ReceivedInvitationBody
from .refresh_body import RefreshBody
from .register_body import RegisterBody
from .relationship_body import RelationshipBody
from .relationship_create import RelationshipCreate
from .relationship_page_body import RelationshipPageBody
from .relationship_update import RelationshipUpdate
from .relationship_update_status import RelationshipUpdateStatus
from .result_body import ResultBody
from .result_body_artifacts_item import ResultBodyArtifactsItem
from .revoke_reason import RevokeReason
from .runner_tools_body import RunnerToolsBody
from .search_hit_body import SearchHitBody
from .search_results_body import SearchResultsBody
from .search_scores_body import SearchScoresBody
from .session_change import SessionChange
from .session_page_body import SessionPageBody
from .split_body import SplitBody
from .split_result_body import SplitResultBody
from .stats_body import StatsBody
from .stats_body_counts import StatsBodyCounts
from .step_body import StepBody
from .subgraph_body import SubgraphBody
from .tally_body import TallyBody
from .tally_body_reactions import TallyBodyReactions
from .task_body import TaskBody
from .task_create import TaskCreate
from .task_export_body import TaskExportBody
from .task_options_body import TaskOptionsBody
from .task_options_body_script_type_0_item import TaskOptionsBodyScriptType0Item
from .task_page_body import TaskPageBody
from .task_sort import TaskSort
from .task_status import TaskStatus
from .task_update import TaskUpdate
from .token_pair_body import TokenPairBody
from .transition_body import TransitionBody
from .turn_accepted import TurnAccepted
from .turn_status import TurnStatus
from .usage_body import UsageBody
from .usage_figures_body import UsageFiguresBody
from .usage_group import UsageGroup
from .usage_group_body import UsageGroupBody
from .usage_report_body import UsageReportBody
from .user_body import UserBody
from .user_detail_body import UserDetailBody
from .user_membership_body import UserMembershipBody
from .user_page_body import UserPageBody
from .user_update import UserUpdate
from .visitor_body import VisitorBody
from .waiting_limit_problem import WaitingLimitProblem
from .webhook_body import WebhookBody
from .webhook_create import WebhookCreate
from .webhook_create_event_types_item import WebhookCreateEventTypesItem
from .webhook_update import WebhookUpdate
from .webhook_update_event_types_item import WebhookUpdateEventTypesItem

__all__ = (
    "AccountDeletion",
    "AccountExportBody",
    "AdoptedBody",
    "AgentToolsBody",
    "ApiTokenBody",
    "ApiTokenCreate",
    "ApiTokenPageBody",
    "ApiV1AgentChatSessionIdEventsEventsResponse200",
    "ApiV1DocumentsBatchIngestBatchFilesBody",
    "ApiV1DocumentsBatchIngestBatchJsonBody",
    "ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItem",
    "ApiV1DocumentsBatchIngestBatchJsonBodyDocumentsItemMediaType",
    "ApiV1DocumentsIngestFilesBody",
    "ApiV1DocumentsIngestFilesBodyMediaType",
    "ApiV1DocumentsIngestJsonBody",
    "ApiV1DocumentsIngestJsonBodyMediaType",
    "ApiV1PublicProjectsProjectIdChatSessionIdEventsEventsResponse200",
    "ApiV1TasksTaskIdEventsEventsResponse200",
    "AttemptBody",
    "BacklogBody",
    "BatchBody",
    "BatchStatusBody",
    "BatchStatusBodyCounts",
    "BudgetProblem",
    "ChatMessageBody",
    "ChatMessageBodyErrorType0",
    "ChatSend",
    "ChatSendOptionsType0",
    "ChatSessionBody",
    "ChatSessionExportBody",
    "ChatToolCallBody",
    "ChatTurnExportBody",
    "ChatUsageBody",
    "Check",
    "ChunkBody",
    "CitationBody",
    "CountedBody",
    "DayBody",
    "DayBodyReactions",
    "DeliveryBody",
    "DocumentBody",
    "DocumentExportBody",
    "DocumentPageBody",
    "DocumentStatus",
    "DocumentWithChunksBody",
    "DraftCreate",
    "DraftCreateOptionsType0",
    "DraftingBody",
    "DraftTaskBody",
    "EditAction",
    "EngagementBody",
    "EntityBody",
    "EntityBodyProperties",
    "EntityCreate",
    "EntityCreateProperties",
    "EntityHitBody",
    "EntityPageBody",
    "EntitySpanBody",
    "EntityUpdate",
    "EntityUpdateProperties",
    "EntityUpdateStatus",
    "ErrorBody",
    "ExecutionBody",
    "ExecutionExportBody",
    "ExecutionPageBody",
    "ExecutionStatus",
    "ExtractedBody",
    "ExtractedBodyProperties",
    "ExtractorKind",
    "FactKind",
    "FieldError",
    "FollowUpCreate",
    "GlobalRole",
    "HistoryBody",
    "IngestionBody",
    "InvitationBody",
    "InvitationCreate",
    "InvitationExportBody",
    "JobBody",
    "JobStatusBody",
    "JoinedBody",
    "KnowledgeEditExportBody",
    "KnowledgeEditExportBodyChanges",
    "Liveness",
    "LoginBody",
    "LoginSessionBody",
    "LogKind",
    "LogLevel",
    "LogLineBody",
    "LogLineBodyData",
    "LogoutBody",
    "LogPageBody",
    "MediaType",
    "MemberBody",
    "MembershipExportBody",
    "MemberUpdate",
    "MentionBody",
    "MentionRef",
    "MergeBody",
    "NewApiTokenBody",
    "NotReady",
    "NotReadyChecksType0",
    "PasswordChange",
    "PathBody",
    "PermissionMode",
    "Priority",
    "Problem",
    "ProfileUpdate",
    "ProjectAllowsBody",
    "ProjectBody",
    "ProjectCreate",
    "ProjectPageBody",
    "ProjectRole",
    "ProjectSettingsBody",
    "ProjectSettingsChanges",
    "ProjectUpdate",
    "PublicationBody",
    "PublicationCreate",
    "PublicationPageBody",
    "PublicationStatus",
    "PublicationUpdate",
    "PublicChatBody",
    "PublicCitationBody",
    "PublicSend",
    "PublishedBody",
    "PublishedPageBody",
    "RateLimitProblem",
    "ReactionCreate",
    "ReactionCreateKind",
    "Readiness",
    "ReadinessChecksType0",
    "ReceivedInvitationBody",
    "RefreshBody",
    "RegisterBody",
    "RelationshipBody",
    "RelationshipCreate",
    "RelationshipPageBody",
    "RelationshipUpdate",
    "RelationshipUpdateStatus",
    "ResultBody",
    "ResultBodyArtifactsItem",
    "RevokeReason",
    "RunnerToolsBody",
    "SearchHitBody",
    "SearchResultsBody",
    "SearchScoresBody",
    "SessionChange",
    "SessionPageBody",
    "SplitBody",
    "SplitResultBody",
    "StatsBody",
    "StatsBodyCounts",
    "StepBody",
    "SubgraphBody",
    "TallyBody",
    "TallyBodyReactions",
    "TaskBody",
    "TaskCreate",
    "TaskExportBody",
    "TaskOptionsBody",
    "TaskOptionsBodyScriptType0Item",
    "TaskPageBody",
    "TaskSort",
    "TaskStatus",
    "TaskUpdate",
    "TokenPairBody",
    "TransitionBody",
    "TurnAccepted",
    "TurnStatus",
    "UsageBody",
    "UsageFiguresBody",
    "UsageGroup",
    "UsageGroupBody",
    "UsageReportBody",
    "UserBody",
    "UserDetailBody",
    "UserMembershipBody",
    "UserPageBody",
    "UserUpdate",
    "VisitorBody",
    "WaitingLimitProblem",
    "WebhookBody",
    "WebhookCreate",
    "WebhookCreateEventTypesItem",
    "WebhookUpdate",
    "WebhookUpdateEventTypesItem",
)
