"""Sealing webhook secrets: HKDF-derived Fernet keys, the previous keys for opening, rotation (issue 10 item 11)."""

import pytest

from smartoffice.integrations.sealing import SecretBox, SecretKeyMissing, SecretUnreadable, derive_fernet_key

SECRET = "whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"


def test_a_sealed_secret_opens_with_its_key_and_does_not_show_the_secret() -> None:
    box = SecretBox("current-key")
    sealed = box.seal(SECRET)
    assert SECRET not in sealed and SECRET.removeprefix("whsec_") not in sealed
    assert box.seal(SECRET) != sealed  # a fresh IV each time
    assert box.open(sealed) == SECRET
    assert len(sealed) <= 300  # fits the column


def test_the_key_is_derived_not_the_secret_key_itself() -> None:
    assert derive_fernet_key("k1") == derive_fernet_key("k1") != derive_fernet_key("k2")
    assert b"k1" not in derive_fernet_key("k1")


def test_previous_keys_open_and_reseal_moves_to_the_current_key() -> None:
    sealed = SecretBox("old").seal(SECRET)
    rotating = SecretBox("new", ["older", "old"])
    assert rotating.open(sealed) == SECRET
    resealed = rotating.reseal(sealed)
    assert SecretBox("new").open(resealed) == SECRET
    with pytest.raises(SecretUnreadable):
        SecretBox("old").open(resealed)


def test_a_wrong_key_or_tampering_is_a_clear_error() -> None:
    sealed = SecretBox("old").seal(SECRET)
    with pytest.raises(SecretUnreadable, match="neither SMARTOFFICE_SECRET_KEY nor"):
        SecretBox("new").open(sealed)
    with pytest.raises(SecretUnreadable):
        SecretBox("old").open(sealed[:-4] + "AAAA")
    with pytest.raises(SecretUnreadable):
        SecretBox("new").reseal(sealed)


def test_without_a_secret_key_nothing_is_sealed() -> None:
    with pytest.raises(SecretKeyMissing):
        SecretBox("").seal(SECRET)
    with pytest.raises(SecretKeyMissing):
        SecretBox("").open("gAAAAA")
    assert not SecretBox("", ["old"]).can_seal
