"""Passwords: the shipped Argon2id parameters (the suite itself runs with cheaper ones, see
``tests/conftest.py``), hashes that verify across parameters, and the unknown-user path."""

from __future__ import annotations

from argon2 import PasswordHasher, Type, extract_parameters

from core import security


def test_the_shipped_hasher_is_argon2id_with_rfc_9106s_low_memory_profile() -> None:
    params = extract_parameters(security.shipped_hasher().hash("x"))
    assert params.type is Type.ID
    assert (params.time_cost, params.memory_cost, params.parallelism) == (3, 65536, 4)


def test_a_hash_verifies_whatever_parameters_made_it() -> None:
    strong = PasswordHasher().hash("mật-khẩu-dài-1")
    assert security.verify_password(strong, "mật-khẩu-dài-1")
    assert not security.verify_password(strong, "mật-khẩu-dài-2")
    cheap = security.hash_password("mật-khẩu-dài-1")
    assert security.verify_password(cheap, "mật-khẩu-dài-1")


def test_an_unknown_user_spends_a_verification_and_fails() -> None:
    assert not security.verify_password(None, "duluan-no-such-user")
    assert not security.verify_password("not-a-hash", "x")
