"""What a task must meet to run, checked when it is submitted, edited, retried or followed up, and again
when a worker claims it (a project's rules may have changed meanwhile): a runner this deployment offers,
a script only on the scripted runner, the project's allow-lists of runners, permission modes and tools,
and bypassPermissions only on a confined runner (sandboxed, or running no tools)."""

from __future__ import annotations

from agentry.application.errors import ApplicationError, UnknownRunner
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.domain.errors import DomainError, InvalidValue
from agentry.domain.permission_modes import PermissionMode
from agentry.domain.projects.project import Project
from agentry.domain.tasks.script import SCRIPTED_RUNNER
from agentry.domain.tasks.spec import TaskOptions


def refusal(
    runners: RunnerCatalog, project: Project | None, options: TaskOptions
) -> DomainError | ApplicationError | None:
    """Why a task with these options may not run in this project on this deployment, if it may not."""
    runner = options.runner or runners.default
    if runner not in runners.names:
        return UnknownRunner(runner, runners.names)
    if options.script is not None and runner != SCRIPTED_RUNNER:
        return InvalidValue(
            "options.script", f"only the scripted runner follows a script; this task runs on {runner!r}"
        )
    if project is not None and (
        refused := project.settings.refusal(runner, options.permission_mode, options.allowed_tools)
    ):
        return refused
    if options.permission_mode is PermissionMode.BYPASS_PERMISSIONS and not runners.confined(runner):
        return InvalidValue(
            "options.permission_mode",
            f"bypassPermissions needs a confined runner, and {runner!r} does not run in a sandbox here",
        )
    return None


def require_allowed(runners: RunnerCatalog, project: Project | None, options: TaskOptions) -> str:
    """The name of the runner the task will use; raises the refusal if the task may not run."""
    if (refused := refusal(runners, project, options)) is not None:
        raise refused
    return options.runner or runners.default
