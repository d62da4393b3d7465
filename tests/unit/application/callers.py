"""Hypothesis: callers with any mix of global and project roles, for the authorization properties."""

from __future__ import annotations

from uuid import UUID

from hypothesis import strategies as st

from agentry.domain.principal import Principal
from agentry.domain.roles import GlobalRole, ProjectRole


def draw_callers(draw: st.DrawFn, projects: list[UUID], most: int) -> list[Principal]:
    """1 to `most` users, about one in four an admin, each with a role or none in each project."""
    callers = []
    for i in range(draw(st.integers(1, most), label="users")):
        admin = draw(st.sampled_from([False, False, False, True]), label=f"user {i} is an admin")
        roles = {p: role for p in projects if (role := draw(st.sampled_from([None, *ProjectRole]))) is not None}
        role = GlobalRole.ADMIN if admin else GlobalRole.USER
        callers.append(Principal(UUID(int=0x5000 + i), f"user-{i}", role=role, memberships=roles))
    return callers
