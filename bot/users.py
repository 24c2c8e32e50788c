"""Dashboard users: argon2 password hashes in the store, and checking a login."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Role, User

_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("signpost-dummy-password")


class UserError(ValueError):
    """A user that cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class SignedIn:
    name: str
    role: Role

    @property
    def is_manager(self) -> bool:
        return self.role is Role.manager


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add_user(session: Session, name: str, role: Role, password: str, email: str | None = None) -> User:
    """Create a user, or replace the password, role and email of an existing one."""
    name = name.strip()
    if not name or len(name) > 80 or any(c.isspace() for c in name):
        raise UserError("a user name is 1-80 characters without spaces")
    if not password:
        raise UserError("an empty password")
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        user = User(name=name, role=role, password_hash=hash_password(password), email=email)
        session.add(user)
    else:
        user.role, user.password_hash, user.active = role, hash_password(password), True
        user.email = email or user.email
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> SignedIn | None:
    """The signed-in user for a correct name and password of an active user, else None."""
    user = session.scalar(select(User).where(User.name == name.strip()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return SignedIn(user.name, user.role)


def active_user(session: Session, name: str) -> SignedIn | None:
    """The user behind a session cookie, if still active (role read fresh from the store)."""
    user = session.scalar(select(User).where(User.name == name, User.active.is_(True)))
    return SignedIn(user.name, user.role) if user else None
