"""Where the secret that seals the signing keys comes from: the environment, a file only its owner may
read, or (embedded, neither given) a file made 0600 next to the database on first start; production
without one stops with one line."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from agentry.entrypoints.config import ConfigError, Settings
from agentry.entrypoints.secret_key import EMBEDDED_FILE_NAME, load_sealer, secret_key_source

SECRET = "an operator secret of 32 or more characters"
PEM = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"


def secret_file(path: Path, mode: int, content: str = SECRET) -> Path:
    path.write_text(content + "\n")
    os.chmod(path, mode)
    return path


def test_the_embedded_service_makes_its_secret_next_to_the_database_once_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/agentry.db")
    with caplog.at_level(logging.WARNING, "agentry.keys"):
        sealed = load_sealer(settings).sealed("k", PEM)
    made = tmp_path / EMBEDDED_FILE_NAME
    assert stat.S_IMODE(made.stat().st_mode) == 0o600 and len(made.read_text().strip()) >= 32
    assert [r.getMessage() for r in caplog.records if str(made) in r.getMessage()], caplog.text
    caplog.clear()
    assert load_sealer(settings).opened("k", sealed) == PEM, "the next start reads the same secret"
    assert not caplog.records
    assert secret_key_source(settings) == f"the generated {made}"


def test_a_secret_from_the_environment_or_a_private_file_opens_what_it_sealed(tmp_path: Path) -> None:
    from_env = Settings(profile="production", database_url="postgresql://db/x", secret_key=SECRET)
    for mode in (0o600, 0o400):
        path = secret_file(tmp_path / f"secret-{mode:o}", mode)
        from_file = Settings(profile="production", database_url="postgresql://db/x", secret_key_file=str(path))
        assert load_sealer(from_file).opened("k", load_sealer(from_env).sealed("k", PEM)) == PEM
    assert not (tmp_path / EMBEDDED_FILE_NAME).exists()


@pytest.mark.parametrize(
    ("mode", "content", "says"),
    [
        pytest.param(0o644, SECRET, "mode 0644 lets others read it; it must be 0600", id="readable by others"),
        pytest.param(0o640, SECRET, "mode 0640", id="readable by the group"),
        pytest.param(0o600, "short", "at least 32 characters", id="too short"),
    ],
)
def test_a_secret_file_others_may_read_or_too_short_stops_the_start_naming_it(
    tmp_path: Path, mode: int, content: str, says: str
) -> None:
    path = secret_file(tmp_path / "secret", mode, content)
    with pytest.raises(ConfigError) as refused:
        load_sealer(Settings(secret_key_file=str(path)))
    assert str(refused.value).startswith(f"AGENTRY_SECRET_KEY_FILE={path}: ") and says in str(refused.value)
    assert "\n" not in str(refused.value) and content not in str(refused.value)


def test_a_missing_secret_file_is_named_and_not_made(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"AGENTRY_SECRET_KEY_FILE=.*/absent: cannot be read"):
        load_sealer(Settings(secret_key_file=str(tmp_path / "absent")))
    assert not (tmp_path / "absent").exists()


def test_production_without_a_secret_stops_with_one_line_naming_both_settings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="AGENTRY_SECRET_KEY or AGENTRY_SECRET_KEY_FILE: required when"):
        load_sealer(Settings(profile="production", database_url="postgresql://db/x"))
