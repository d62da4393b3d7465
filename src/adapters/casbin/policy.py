"""The AccessPolicy port decided by Casbin, from `model.conf` and `policy.csv` in this package.

Casbin sees a small request built from the actor and the resource: what the actor is (system,
anonymous, admin, user), its role in the resource's project, and a few facts about the resource and the request.
Those are all a decision depends on and they take few values, so each distinct request is enforced
once and its answer memoized: evaluating the matcher against every policy line costs a fraction of
a millisecond, the memoized answer a dictionary look-up.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import casbin

from agentry.application.ports.access_policy import NOTHING, Action, ProjectScope, Resource, readable_by_asking
from agentry.domain.principal import Principal, PrincipalKind
from agentry.domain.roles import ProjectRole
from agentry.domain.tasks.status import TERMINAL

MODEL_PATH = Path(__file__).with_name("model.conf")
POLICY_PATH = Path(__file__).with_name("policy.csv")

NO_ROLE = "none"  # the project role of a non-member, or of anyone when the resource has no project
_DECISIONS_KEPT = 8192  # more than every distinct request (4 kinds x 5 roles x 18 actions x 40 facts)


class ObjectFacts(NamedTuple):
    """What the policy may ask about the resource (`r.obj` in the model)."""

    own: bool  # the actor submitted the task, or is the member a membership change concerns
    terminal: bool  # the task's status is terminal
    target: str  # the project role a membership change involves, or "none"
    signed_in: bool  # the actor acts through a login session, not a personal API token


class CasbinAccessPolicy:
    def __init__(self, model_path: Path | str | None = None, policy_path: Path | str | None = None) -> None:
        self._enforcer = casbin.Enforcer(str(model_path or MODEL_PATH), str(policy_path or POLICY_PATH))
        self._decide = lru_cache(maxsize=_DECISIONS_KEPT)(self._enforce)

    def allows(self, actor: Principal, action: Action, resource: Resource = NOTHING) -> bool:
        return self._decide(_subject(actor), _project_role(actor, resource), _facts(actor, resource), action.value)

    def readable_projects(self, actor: Principal) -> ProjectScope:
        return readable_by_asking(self, actor)

    def _enforce(self, subject: str, role: str, facts: ObjectFacts, action: str) -> bool:
        return bool(self._enforcer.enforce(subject, role, facts, action))


def _subject(actor: Principal) -> str:
    if actor.kind is PrincipalKind.USER:
        return actor.role.value  # "admin" or "user"
    return actor.kind.value  # "system" or "anonymous"


def _project_role(actor: Principal, resource: Resource) -> str:
    if actor.kind is not PrincipalKind.USER or resource.project_id is None:
        return NO_ROLE
    role = actor.project_role(resource.project_id)
    return NO_ROLE if role is None else role.value


def _facts(actor: Principal, resource: Resource) -> ObjectFacts:
    return ObjectFacts(
        own=resource.owner_id is not None and resource.owner_id == actor.id,
        terminal=resource.status is not None and resource.status in TERMINAL,
        target=_role_name(resource.role),
        signed_in=actor.signed_in,
    )


def _role_name(role: ProjectRole | None) -> str:
    return NO_ROLE if role is None else role.value
