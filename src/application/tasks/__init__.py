"""Use cases of the agent-task lifecycle, one per module."""
