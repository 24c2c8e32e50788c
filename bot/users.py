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


MIN_PASSWORD_LENGTH = 12


def check_password(name: str, password: str, min_length: int = MIN_PASSWORD_LENGTH) -> None:
    """The minimum policy (NCSC: length over complexity): long enough, not the name, not one repeated run.

    Raises:
        UserError: saying what is wrong.
    """
    if len(password) < min_length:
        raise UserError(f"a password needs at least {min_length} characters (a few words make a good one)")
    if name.strip().lower() in password.lower():
        raise UserError("a password must not contain the user name")
    if len(set(password.lower())) < 5:
        raise UserError("a password needs more than a few different characters")


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 80 or any(c.isspace() for c in name):
        raise UserError("a user name is 1-80 characters without spaces")
    return name


def add_user(session: Session, name: str, role: Role, password: str, email: str | None = None,
             *, min_length: int = MIN_PASSWORD_LENGTH) -> User:
    """Create a user; an existing name is refused (change a password with set_password).

    Raises:
        UserError: a bad name, a name in use, or a password below the policy.
    """
    name = _check_name(name)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise UserError(f"user {name} already exists (use `signpost user passwd {name}` to change the password)")
    check_password(name, password, min_length)
    user = User(name=name, role=role, password_hash=hash_password(password), email=email)
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, name: str) -> User:
    """Raises: UserError when there is no such user."""
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None:
        raise UserError(f"no user {name.strip()!r}")
    return user


def set_password(session: Session, name: str, password: str, *, min_length: int = MIN_PASSWORD_LENGTH) -> User:
    """Replace a user's password (within the policy) and make the account active again."""
    user = get_user(session, name)
    check_password(user.name, password, min_length)
    user.password_hash, user.active = hash_password(password), True
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
