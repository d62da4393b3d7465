from __future__ import annotations

from dataclasses import dataclass

from agentry.application.access import require
from agentry.application.errors import DuplicateEmail, Forbidden
from agentry.application.identity.ports.credentials import PasswordHasher
from agentry.application.identity.ports.users import UserRepository
from agentry.application.identity.settings import IdentitySettings
from agentry.application.ports.access_policy import AccessPolicy, Action
from agentry.application.ports.clock import Clock
from agentry.application.ports.ids import IdGenerator
from agentry.application.ports.unit_of_work import UnitOfWork
from agentry.application.projects.ports import MembershipRepository, ProjectRepository
from agentry.domain.emails import normalize_email
from agentry.domain.identity.passwords import check_password
from agentry.domain.identity.users import User, clean_display_name
from agentry.domain.principal import Principal
from agentry.domain.projects.project import Membership, Project
from agentry.domain.roles import GlobalRole, ProjectRole


@dataclass(frozen=True, slots=True)
class Registration:
    email: str
    password: str
    display_name: str
    role: GlobalRole = GlobalRole.USER


@dataclass(frozen=True, slots=True)
class RegisterUser:
    """A new account, with a personal project so a first task needs no set-up.

    Anyone may register while registration is open; admins always may, and only they may create admins.
    """

    users: UserRepository
    projects: ProjectRepository
    memberships: MembershipRepository
    hasher: PasswordHasher
    policy: AccessPolicy
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    settings: IdentitySettings

    async def __call__(self, actor: Principal, registration: Registration) -> User:
        if actor.is_anonymous and not self.settings.open_registration:
            raise Forbidden(Action.REGISTER, "registration is closed; ask an admin to create your account")
        require(self.policy, actor, Action.REGISTER)
        if registration.role is GlobalRole.ADMIN and not actor.is_admin:
            raise Forbidden(Action.MANAGE_USERS)
        email = normalize_email(registration.email)
        name = clean_display_name(registration.display_name)
        check_password(
            registration.password, min_length=self.settings.password_min_length, email=email, display_name=name
        )
        if await self.users.get_by_email(email) is not None:
            raise DuplicateEmail()
        now = self.clock.now()
        password_hash = await self.hasher.hash(registration.password)
        user = User.register(self.ids.new_id(), email, name, password_hash, now, registration.role)
        await self.users.add(user)
        personal = Project.personal_for(self.ids.new_id(), user.id, user.display_name, now)
        await self.projects.add(personal)
        await self.memberships.add(Membership.grant(personal.id, user.id, ProjectRole.OWNER, now))
        await self.uow.commit()
        return user
