"""The access rules, the same for the Casbin policy and the table the use-case tests use.

Each row of DECISIONS is one action on one kind of resource, with the expected decision for every
kind of actor: the owner, maintainer, member and viewer of project P, a user who belongs only to
project Q (as its owner), an admin who belongs to no project, the system principal and an anonymous
caller. `Y` allows, `.` refuses. The users act through a login session; what an API token may do is
tested below the table.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentry.adapters.casbin.policy import MODEL_PATH, CasbinAccessPolicy
from agentry.application.ports.access_policy import NOTHING, AccessPolicy, Action, ProjectScope, Resource
from agentry.domain.principal import Principal, PrincipalKind
from agentry.domain.roles import GlobalRole, ProjectRole
from agentry.domain.tasks.status import TaskStatus
from tests.fakes.policy import TablePolicy

P = UUID(int=0xA)
Q = UUID(int=0xB)
R = UUID(int=0xC)
SOMEONE_ELSE = UUID(int=0x5E)


def user(
    number: int, memberships: dict[UUID, ProjectRole] | None = None, role: GlobalRole = GlobalRole.USER
) -> Principal:
    """A user signed in with a login session."""
    session = UUID(int=0x5E55 + number)
    return Principal(UUID(int=number), f"user-{number}", role=role, memberships=memberships or {}, session_id=session)


ACTORS: dict[str, Principal] = {
    "owner": user(1, {P: ProjectRole.OWNER}),
    "maintainer": user(2, {P: ProjectRole.MAINTAINER}),
    "member": user(3, {P: ProjectRole.MEMBER}),
    "viewer": user(4, {P: ProjectRole.VIEWER}),
    "outsider": user(5, {Q: ProjectRole.OWNER}),
    "admin": user(6, role=GlobalRole.ADMIN),
    "system": Principal(UUID(int=0), "system", PrincipalKind.SYSTEM),
    "anonymous": Principal.anonymous(),
}

SITUATIONS: dict[str, Callable[[Principal], Resource]] = {
    "nothing": lambda actor: NOTHING,
    "project P": lambda actor: Resource.of_project(P),
    "project Q": lambda actor: Resource.of_project(Q),
    "own running task": lambda actor: Resource(P, actor.id, TaskStatus.RUNNING.value),
    "own failed task": lambda actor: Resource(P, actor.id, TaskStatus.FAILED.value),
    "other's running task": lambda actor: Resource(P, SOMEONE_ELSE, TaskStatus.RUNNING.value),
    "other's failed task": lambda actor: Resource(P, SOMEONE_ELSE, TaskStatus.FAILED.value),
    "task in project Q": lambda actor: Resource(Q, SOMEONE_ELSE, TaskStatus.RUNNING.value),
    "own task in no project": lambda actor: Resource(None, actor.id, TaskStatus.FAILED.value),
    "an owner in P": lambda actor: Resource(P, SOMEONE_ELSE, role=ProjectRole.OWNER),
    "a maintainer in P": lambda actor: Resource(P, SOMEONE_ELSE, role=ProjectRole.MAINTAINER),
    "a member in P": lambda actor: Resource(P, SOMEONE_ELSE, role=ProjectRole.MEMBER),
    "a viewer in P": lambda actor: Resource(P, SOMEONE_ELSE, role=ProjectRole.VIEWER),
    "themselves in P": lambda actor: Resource(P, actor.id),
    "someone else in P": lambda actor: Resource(P, SOMEONE_ELSE),
    "invited to P as owner": lambda actor: Resource(P, role=ProjectRole.OWNER),
    "invited to P as viewer": lambda actor: Resource(P, role=ProjectRole.VIEWER),
    "own account": lambda actor: Resource.of_account(actor.id),
    "another account": lambda actor: Resource.of_account(SOMEONE_ELSE),
}

DECISIONS = [
    #                                                   owner maint member viewer outsider admin system anon
    (Action.READ_TASK, "other's running task",         "Y     Y     Y      Y      .        Y     .      ."),
    (Action.READ_TASK, "task in project Q",            ".     .     .      .      Y        Y     .      ."),
    (Action.READ_TASK, "own task in no project",       ".     .     .      .      .        Y     .      ."),
    (Action.READ_TASK, "nothing",                      ".     .     .      .      .        Y     .      ."),
    (Action.SUBMIT_TASK, "project P",                  "Y     Y     Y      .      .        Y     .      ."),
    (Action.SUBMIT_TASK, "project Q",                  ".     .     .      .      Y        Y     .      ."),
    (Action.SUBMIT_TASK, "nothing",                    ".     .     .      .      .        Y     .      ."),
    (Action.UPDATE_TASK, "own running task",           "Y     Y     Y      .      .        Y     .      ."),
    (Action.UPDATE_TASK, "other's running task",       "Y     Y     .      .      .        Y     .      ."),
    (Action.CANCEL_TASK, "own running task",           "Y     Y     Y      .      .        Y     .      ."),
    (Action.CANCEL_TASK, "other's running task",       "Y     Y     .      .      .        Y     .      ."),
    (Action.CANCEL_TASK, "own task in no project",     ".     .     .      .      .        Y     .      ."),
    (Action.RETRY_TASK, "own failed task",             "Y     Y     Y      .      .        Y     .      ."),
    (Action.RETRY_TASK, "other's failed task",         "Y     Y     .      .      .        Y     .      ."),
    (Action.DELETE_TASK, "own failed task",            "Y     Y     Y      .      .        Y     .      ."),
    (Action.DELETE_TASK, "own running task",           "Y     Y     .      .      .        Y     .      ."),
    (Action.DELETE_TASK, "other's failed task",        "Y     Y     .      .      .        Y     .      ."),
    (Action.DELETE_TASK, "other's running task",       "Y     Y     .      .      .        Y     .      ."),
    (Action.CREATE_PROJECT, "nothing",                 "Y     Y     Y      Y      Y        Y     .      ."),
    (Action.READ_PROJECT, "project P",                 "Y     Y     Y      Y      .        Y     .      ."),
    (Action.READ_PROJECT, "project Q",                 ".     .     .      .      Y        Y     .      ."),
    (Action.READ_PROJECT, "nothing",                   ".     .     .      .      .        Y     .      ."),
    (Action.UPDATE_PROJECT, "project P",               "Y     .     .      .      .        Y     .      ."),
    (Action.DELETE_PROJECT, "project P",               "Y     .     .      .      .        Y     .      ."),
    (Action.DELETE_PROJECT, "project Q",               ".     .     .      .      Y        Y     .      ."),
    (Action.MANAGE_MEMBERS, "an owner in P",           "Y     .     .      .      .        Y     .      ."),
    (Action.MANAGE_MEMBERS, "a maintainer in P",       "Y     Y     .      .      .        Y     .      ."),
    (Action.MANAGE_MEMBERS, "a member in P",           "Y     Y     .      .      .        Y     .      ."),
    (Action.MANAGE_MEMBERS, "a viewer in P",           "Y     Y     .      .      .        Y     .      ."),
    (Action.MANAGE_MEMBERS, "invited to P as owner",   "Y     .     .      .      .        Y     .      ."),
    (Action.MANAGE_MEMBERS, "invited to P as viewer",  "Y     Y     .      .      .        Y     .      ."),
    (Action.MANAGE_MEMBERS, "project P",               "Y     Y     .      .      .        Y     .      ."),
    (Action.MANAGE_MEMBERS, "project Q",               ".     .     .      .      Y        Y     .      ."),
    (Action.MANAGE_WEBHOOKS, "project P",              "Y     Y     .      .      .        Y     .      ."),
    (Action.MANAGE_WEBHOOKS, "project Q",              ".     .     .      .      Y        Y     .      ."),
    (Action.ANSWER_INVITATION, "own account",          "Y     Y     Y      Y      Y        Y     .      ."),
    (Action.ANSWER_INVITATION, "themselves in P",      "Y     Y     Y      Y      Y        Y     .      ."),
    (Action.ANSWER_INVITATION, "someone else in P",    ".     .     .      .      .        .     .      ."),
    (Action.ANSWER_INVITATION, "another account",      ".     .     .      .      .        .     .      ."),
    (Action.LEAVE_PROJECT, "themselves in P",          "Y     Y     Y      Y      .        Y     .      ."),
    (Action.LEAVE_PROJECT, "someone else in P",        ".     .     .      .      .        Y     .      ."),
    (Action.REGISTER, "nothing",                       ".     .     .      .      .        Y     .      Y"),
    (Action.MANAGE_USERS, "nothing",                   ".     .     .      .      .        Y     .      ."),
    (Action.MANAGE_ACCOUNT, "own account",             "Y     Y     Y      Y      Y        Y     .      ."),
    (Action.MANAGE_ACCOUNT, "another account",         ".     .     .      .      .        Y     .      ."),
    (Action.MANAGE_CREDENTIALS, "own account",         "Y     Y     Y      Y      Y        Y     .      ."),
    (Action.MANAGE_CREDENTIALS, "another account",     ".     .     .      .      .        Y     .      ."),
    (Action.RUN_EXECUTION, "nothing",                  ".     .     .      .      .        .     Y      ."),
    (Action.RUN_EXECUTION, "other's running task",     ".     .     .      .      .        .     Y      ."),
    (Action.DISPATCH_WORK, "nothing",                  ".     .     .      .      .        .     Y      ."),
    (Action.DISPATCH_WORK, "project P",                ".     .     .      .      .        .     Y      ."),
    (Action.RECOVER_WORK, "nothing",                   ".     .     .      .      .        .     Y      ."),
    (Action.RECOVER_WORK, "other's running task",      ".     .     .      .      .        .     Y      ."),
    (Action.READ_USAGE, "nothing",                     ".     .     .      .      .        Y     .      ."),
    (Action.READ_USAGE, "project P",                   "Y     Y     .      .      .        Y     .      ."),
    (Action.READ_USAGE, "project Q",                   ".     .     .      .      Y        Y     .      ."),
    (Action.READ_USAGE, "own account",                 "Y     Y     Y      Y      Y        Y     .      ."),
    (Action.READ_USAGE, "another account",             ".     .     .      .      .        Y     .      ."),
    (Action.READ_DOCUMENT, "project P",                "Y     Y     Y      Y      .        Y     .      ."),
    (Action.READ_DOCUMENT, "project Q",                ".     .     .      .      Y        Y     .      ."),
    (Action.INGEST_DOCUMENT, "project P",              "Y     Y     Y      .      .        Y     .      ."),
    (Action.DELETE_DOCUMENT, "themselves in P",        "Y     Y     Y      .      .        Y     .      ."),
    (Action.DELETE_DOCUMENT, "someone else in P",      "Y     Y     .      .      .        Y     .      ."),
    (Action.READ_PUBLICATION, "project P",             "Y     Y     Y      Y      .        Y     .      ."),
    (Action.READ_PUBLICATION, "project Q",             ".     .     .      .      Y        Y     .      ."),
    (Action.WRITE_PUBLICATION, "project P",            "Y     Y     Y      .      .        Y     .      ."),
    (Action.PUBLISH_PUBLICATION, "project P",          "Y     Y     .      .      .        Y     .      ."),
    (Action.DELETE_PUBLICATION, "project P",           "Y     Y     .      .      .        Y     .      ."),
    (Action.READ_KNOWLEDGE, "project P",               "Y     Y     Y      Y      .        Y     .      ."),
    (Action.READ_KNOWLEDGE, "project Q",               ".     .     .      .      Y        Y     .      ."),
    (Action.EDIT_KNOWLEDGE, "project P",               "Y     Y     Y      .      .        Y     .      ."),
    (Action.EDIT_KNOWLEDGE, "project Q",               ".     .     .      .      Y        Y     .      ."),
    (Action.CURATE_KNOWLEDGE, "project P",             "Y     Y     .      .      .        Y     .      ."),
    (Action.CURATE_KNOWLEDGE, "project Q",             ".     .     .      .      Y        Y     .      ."),
]  # fmt: skip


def expanded_decisions() -> list[object]:
    return [
        pytest.param(actor, action, situation, {"Y": True, ".": False}[mark], id=f"{name}-{action}-{situation}")
        for action, situation, marks in DECISIONS
        for (name, actor), mark in zip(ACTORS.items(), marks.split(), strict=True)
    ]


@pytest.fixture(scope="module", params=["casbin", "table"])
def policy(request: pytest.FixtureRequest) -> AccessPolicy:
    return CasbinAccessPolicy() if request.param == "casbin" else TablePolicy()


def test_the_table_names_every_action() -> None:
    assert {action for action, _, _ in DECISIONS} == set(Action)


@pytest.mark.parametrize(("actor", "action", "situation", "expected"), expanded_decisions())
def test_each_actor_gets_the_decision_the_table_gives(
    policy: AccessPolicy, actor: Principal, action: Action, situation: str, expected: bool
) -> None:
    assert policy.allows(actor, action, SITUATIONS[situation](actor)) is expected


@pytest.mark.parametrize(
    ("status", "deletable"),
    [
        (TaskStatus.PENDING, False),
        (TaskStatus.QUEUED, False),
        (TaskStatus.RUNNING, False),
        (TaskStatus.CANCELLING, False),
        (TaskStatus.SUCCEEDED, True),
        (TaskStatus.FAILED, True),
        (TaskStatus.TIMED_OUT, True),
        (TaskStatus.CANCELLED, True),
    ],
)
def test_a_member_deletes_their_own_task_only_once_it_has_finished(
    policy: AccessPolicy, status: TaskStatus, deletable: bool
) -> None:
    member = ACTORS["member"]
    assert policy.allows(member, Action.DELETE_TASK, Resource(P, member.id, status.value)) is deletable
    assert policy.allows(ACTORS["maintainer"], Action.DELETE_TASK, Resource(P, member.id, status.value))


@pytest.mark.parametrize("action", list(Action))
def test_an_admin_who_is_a_member_of_the_project_may_still_do_all_but_the_systems_work_and_consent_for_others(
    policy: AccessPolicy, action: Action
) -> None:
    admin_viewer = user(7, {P: ProjectRole.VIEWER}, role=GlobalRole.ADMIN)
    expected = action not in {Action.RUN_EXECUTION, Action.DISPATCH_WORK, Action.RECOVER_WORK, Action.ANSWER_INVITATION}
    assert policy.allows(admin_viewer, action, Resource(P, SOMEONE_ELSE, TaskStatus.RUNNING.value)) is expected


@pytest.mark.parametrize("kind", [PrincipalKind.SYSTEM, PrincipalKind.ANONYMOUS])
@pytest.mark.parametrize("action", [Action.READ_TASK, Action.MANAGE_USERS, Action.DELETE_PROJECT])
def test_a_global_role_or_memberships_give_nothing_to_a_principal_that_is_not_a_user(
    policy: AccessPolicy, kind: PrincipalKind, action: Action
) -> None:
    odd = Principal(UUID(int=8), "odd", kind, GlobalRole.ADMIN, {P: ProjectRole.OWNER})
    assert not policy.allows(odd, action, Resource(P, odd.id, TaskStatus.FAILED.value))


@pytest.mark.parametrize("action", list(Action))
def test_a_visitor_of_a_public_chat_reads_its_own_tasks_and_nothing_else_whatever_it_carries(
    policy: AccessPolicy, action: Action
) -> None:
    visitor = Principal(UUID(int=9), "visitor", PrincipalKind.VISITOR, GlobalRole.ADMIN, {P: ProjectRole.OWNER})
    own = Resource(P, visitor.id, TaskStatus.SUCCEEDED.value)
    assert policy.allows(visitor, action, own) is (action is Action.READ_TASK)
    assert not policy.allows(visitor, action, Resource(P, SOMEONE_ELSE, TaskStatus.SUCCEEDED.value))
    assert not policy.allows(visitor, action, Resource.of_project(P))


@pytest.mark.parametrize("role", list(GlobalRole))
def test_through_an_api_token_a_user_manages_their_account_but_not_their_credentials(
    policy: AccessPolicy, role: GlobalRole
) -> None:
    signed_in = user(11, {P: ProjectRole.OWNER}, role=role)
    through_token = Principal(signed_in.id, signed_in.name, role=role, memberships=signed_in.memberships)
    account = Resource.of_account(signed_in.id)
    assert policy.allows(through_token, Action.MANAGE_ACCOUNT, account)
    assert policy.allows(signed_in, Action.MANAGE_CREDENTIALS, account)
    assert not policy.allows(through_token, Action.MANAGE_CREDENTIALS, account)
    assert policy.allows(through_token, Action.DELETE_PROJECT, Resource.of_project(P))


@pytest.mark.parametrize(
    ("actor", "scope"),
    [
        pytest.param(ACTORS["admin"], ProjectScope.all(), id="admin"),
        pytest.param(ACTORS["viewer"], ProjectScope.only(frozenset({P})), id="viewer"),
        pytest.param(ACTORS["outsider"], ProjectScope.only(frozenset({Q})), id="owner elsewhere"),
        pytest.param(
            user(9, {P: ProjectRole.MEMBER, Q: ProjectRole.VIEWER, R: ProjectRole.MAINTAINER}),
            ProjectScope.only(frozenset({P, Q, R})),
            id="member of three",
        ),
        pytest.param(user(10), ProjectScope.only(frozenset()), id="user in no project"),
        pytest.param(ACTORS["system"], ProjectScope(), id="system"),
        pytest.param(ACTORS["anonymous"], ProjectScope(), id="anonymous"),
    ],
)
def test_readable_projects_are_those_where_the_actor_may_read_tasks(
    policy: AccessPolicy, actor: Principal, scope: ProjectScope
) -> None:
    assert policy.readable_projects(actor) == scope


def test_the_casbin_policy_enforces_the_policy_file_it_is_given(tmp_path: Path) -> None:
    only_registration = tmp_path / "policy.csv"
    only_registration.write_text("p, anonymous, register, True\n")
    policy = CasbinAccessPolicy(MODEL_PATH, only_registration)
    assert policy.allows(ACTORS["anonymous"], Action.REGISTER)
    assert not policy.allows(ACTORS["admin"], Action.REGISTER)


# Both implementations agree on any actor, action and resource.

CASBIN = CasbinAccessPolicy()
TABLE = TablePolicy()
PROJECTS = [P, Q, R]


@st.composite
def actors(draw: st.DrawFn) -> Principal:
    memberships = draw(st.dictionaries(st.sampled_from(PROJECTS), st.sampled_from(ProjectRole), max_size=3))
    kind = draw(st.sampled_from(PrincipalKind))
    return Principal(UUID(int=draw(st.integers(1, 3))), "someone", kind, draw(st.sampled_from(GlobalRole)), memberships)


@st.composite
def resources(draw: st.DrawFn, actor: Principal) -> Resource:
    return Resource(
        project_id=draw(st.sampled_from([None, *PROJECTS])),
        owner_id=draw(st.sampled_from([None, actor.id, SOMEONE_ELSE])),
        status=draw(st.sampled_from([None, *(status.value for status in TaskStatus)])),
        role=draw(st.sampled_from([None, *ProjectRole])),
    )


@settings(max_examples=500)
@given(data=st.data(), action=st.sampled_from(Action))
def test_casbin_and_the_table_agree_on_every_decision(data: st.DataObject, action: Action) -> None:
    actor = data.draw(actors(), label="actor")
    resource = data.draw(resources(actor), label="resource")
    assert CASBIN.allows(actor, action, resource) == TABLE.allows(actor, action, resource)


@given(actor=actors())
def test_casbin_and_the_table_agree_on_readable_projects(actor: Principal) -> None:
    assert CASBIN.readable_projects(actor) == TABLE.readable_projects(actor)
