"""Checks that a task names a runner this deployment has."""

from __future__ import annotations

from agentry.application.errors import UnknownRunner
from agentry.application.tasks.ports.agent_gateway import RunnerCatalog
from agentry.domain.tasks.spec import TaskOptions


def require_known_runner(runners: RunnerCatalog, options: TaskOptions) -> str:
    """The name of the runner the task will use."""
    if options.runner is not None and options.runner not in runners.names:
        raise UnknownRunner(options.runner, runners.names)
    return options.runner or runners.default
