"""Password hashing (Argon2) and opaque bearer tokens stored as hashes."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


def shipped_hasher() -> PasswordHasher:
    """The hasher duluan uses: argon2-cffi's defaults, Argon2id with RFC 9106's second
    recommended profile (3 passes, 64 MiB, 4 lanes)."""
    return PasswordHasher()


_hasher = shipped_hasher()
# A real hash to verify against when the user does not exist, so timing does not reveal names.
_DUMMY_HASH = _hasher.hash("duluan-no-such-user")


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash and verify with ``hasher`` from now on, in this process (the dummy hash included).

    For the test suite only: it swaps in the cheapest Argon2id parameters, as Django's test
    settings swap in a fast hasher, since hundreds of tests create and sign in people. Stored
    hashes carry their own parameters, so either hasher verifies the other's."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("duluan-no-such-user")


# Argon2 is CPU- and memory-bound (64 MiB a hash by default): more hashes at once than cores
# only share the cores and multiply the memory (50 simultaneous logins: 1.6 GB per process).
# They wait here, one per core, and no caller holds a database connection while it waits.
_HASHING = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (at most one hash per core at a time)."""
    with _HASHING:
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; always spends one Argon2 verification (at most one per
    core at a time)."""
    try:
        with _HASHING:
            ok = _hasher.verify(password_hash or _DUMMY_HASH, password)
        return ok and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
