"""Tasks: their repositories, the runners they run on, and their use cases, from submitting to running."""

from __future__ import annotations

import os
import socket

from dishka import Provider, Scope, provide, provide_all

from agentry.adapters.sqlalchemy.execution_endings import SqlAlchemyExecutionEndings
from agentry.adapters.sqlalchemy.tasks.execution_repository import SqlAlchemyExecutionRepository
from agentry.adapters.sqlalchemy.tasks.log_store import SqlAlchemyLogStore
from agentry.adapters.sqlalchemy.tasks.project_usage import SqlAlchemyProjectUsage
from agentry.adapters.sqlalchemy.tasks.result_repository import SqlAlchemyResultRepository
from agentry.adapters.sqlalchemy.tasks.task_repository import SqlAlchemyTaskRepository
from agentry.adapters.sqlalchemy.tasks.user_usage import SqlAlchemyUserUsage
from agentry.application.tasks.cancel_task import CancelTask
from agentry.application.tasks.delete_task import DeleteTask
from agentry.application.tasks.expire_idempotency_keys import ExpireIdempotencyKeys
from agentry.application.tasks.follow_up_task import FollowUpTask
from agentry.application.tasks.get_result import GetResult
from agentry.application.tasks.get_task import GetTask
from agentry.application.tasks.latest_executions import LatestExecutions
from agentry.application.tasks.list_executions import ListExecutions
from agentry.application.tasks.list_tasks import ListTasks
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.application.tasks.ports.execution_endings import ExecutionEndings
from agentry.application.tasks.ports.execution_repository import ExecutionRepository
from agentry.application.tasks.ports.log_store import LogStore
from agentry.application.tasks.ports.project_usage import ProjectUsage
from agentry.application.tasks.ports.result_repository import ResultRepository
from agentry.application.tasks.ports.task_repository import TaskRepository
from agentry.application.tasks.ports.user_usage import UserUsage
from agentry.application.tasks.quotas import Quotas
from agentry.application.tasks.read_log import ReadLog
from agentry.application.tasks.retry_task import RetryTask
from agentry.application.tasks.run.reconcile_dead_letter import ReconcileDeadLetter
from agentry.application.tasks.run.recover_lost_executions import RecoverLostExecutions, RecoverySettings
from agentry.application.tasks.run.run_execution import RunExecution
from agentry.application.tasks.run.run_settings import OutputCaps, RunSettings
from agentry.application.tasks.submit_task import IdempotencySettings, SubmitTask
from agentry.application.tasks.task_stats import GetTaskStats
from agentry.application.tasks.update_task import UpdateTask
from agentry.entrypoints.config import Settings
from agentry.entrypoints.runners import configured_runners, runner_catalog


class TasksProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def runners(self, settings: Settings) -> RunnerCatalog:
        return runner_catalog(settings, configured_runners(settings))

    @provide(scope=Scope.APP)
    def run_settings(self, settings: Settings) -> RunSettings:
        return RunSettings(
            worker_id=f"{socket.gethostname()}:{os.getpid()}",
            log_batch_size=settings.log_batch_size,
            log_flush_interval_s=settings.log_flush_interval_s,
            heartbeat_interval_s=settings.heartbeat_interval_s,
            retry_backoff_min_s=settings.retry_backoff_min_s,
            retry_backoff_max_s=settings.retry_backoff_max_s,
            limit_wait_s=settings.limit_wait_s,
            worker_lost_after_s=settings.worker_lost_after_s,
            output=OutputCaps(
                result_max_bytes=settings.result_max_bytes,
                log_line_max_bytes=settings.log_line_max_bytes,
                log_lines_max=settings.log_lines_max,
            ),
        )

    @provide(scope=Scope.APP)
    def recovery_settings(self, settings: Settings) -> RecoverySettings:
        return RecoverySettings(
            worker_lost_after_s=settings.worker_lost_after_s,
            redispatch_after_s=settings.redispatch_after_s,
            check_interval_s=settings.heartbeat_interval_s,
        )

    @provide(scope=Scope.APP)
    def quotas(self, settings: Settings) -> Quotas:
        return Quotas(
            user_max_running=settings.user_max_running,
            user_max_waiting=settings.user_max_waiting,
            personal_monthly_budget_usd=settings.personal_monthly_budget_usd,
        )

    @provide(scope=Scope.APP)
    def idempotency(self, settings: Settings) -> IdempotencySettings:
        return IdempotencySettings(key_ttl_s=settings.idempotency_key_ttl_s)

    tasks = provide(SqlAlchemyTaskRepository, provides=TaskRepository)
    executions = provide(SqlAlchemyExecutionRepository, provides=ExecutionRepository)
    logs = provide(SqlAlchemyLogStore, provides=LogStore)
    results = provide(SqlAlchemyResultRepository, provides=ResultRepository)
    endings = provide(SqlAlchemyExecutionEndings, provides=ExecutionEndings)
    project_usage = provide(SqlAlchemyProjectUsage, provides=ProjectUsage)
    user_usage = provide(SqlAlchemyUserUsage, provides=UserUsage)

    use_cases = provide_all(
        SubmitTask,
        FollowUpTask,
        GetTask,
        ListTasks,
        UpdateTask,
        CancelTask,
        RetryTask,
        DeleteTask,
        ListExecutions,
        LatestExecutions,
        ReadLog,
        GetResult,
        GetTaskStats,
        RunExecution,
        RecoverLostExecutions,
        ReconcileDeadLetter,
        ExpireIdempotencyKeys,
    )
