"""The operator's secret that seals the access-token signing keys in the database.

AGENTRY_SECRET_KEY gives it, or AGENTRY_SECRET_KEY_FILE names a file holding it that only its owner
may read (0600 or 0400). In the embedded profile without either, `agentry-secret.key` next to the
database is used, made 0600 with a fresh random secret on first start (and said so in the log): a
single machine keeps the two together, and a copy of the database alone no longer signs anything.
In production, where several processes must share it, the operator provides it, or the commands
that need it (serve, migrate upgrade, keys rotate) stop with one line.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from pathlib import Path

from agentry.adapters.jwt.sealed_keys import SECRET_MIN_LENGTH, KeySealer
from agentry.entrypoints.config import PREFIX, ConfigError, Settings

EMBEDDED_FILE_NAME = "agentry-secret.key"
log = logging.getLogger("agentry.keys")


def secret_key_source(settings: Settings) -> str:
    """Where the secret comes from, for messages (never the secret itself)."""
    if settings.secret_key:
        return f"{PREFIX}SECRET_KEY"
    path = _file_of(settings)
    return f"{PREFIX}SECRET_KEY_FILE={path}" if settings.secret_key_file else f"the generated {path}"


def load_sealer(settings: Settings, purpose: bytes | None = None) -> KeySealer:
    """The sealer of the configured secret (for `purpose`, if not the signing keys); a ConfigError (one
    line) when there is none to use."""
    if purpose is not None:
        return load_sealer(settings).for_purpose(purpose)
    return KeySealer(load_secret(settings))


def load_secret(settings: Settings) -> bytes:
    """The configured secret itself (for keys derived from it: the sealer's, the chat cookies' HMAC);
    a ConfigError (one line) when there is none to use."""
    if settings.secret_key:
        return settings.secret_key.encode()
    if settings.secret_key_file is None and not settings.embedded:
        raise ConfigError(
            f"{PREFIX}SECRET_KEY or {PREFIX}SECRET_KEY_FILE: required when {PREFIX}PROFILE=production "
            f"(it seals the access-token signing keys in the database; e.g. `openssl rand -base64 32`)"
        )
    path = _file_of(settings)
    if settings.secret_key_file is None and not path.exists():
        _generate(path)
    name = f"{PREFIX}SECRET_KEY_FILE={path}" if settings.secret_key_file else f"the secret key file {path}"
    return _read(path, name)


def _file_of(settings: Settings) -> Path:
    if settings.secret_key_file:
        return Path(settings.secret_key_file)
    database = settings.database
    beside = Path(database.split(":///", 1)[1]).parent if database.startswith("sqlite:///") else Path()
    return (beside / EMBEDDED_FILE_NAME).resolve()


def _read(path: Path, name: str) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{name}: not a file")
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise ConfigError(f"{name}: mode {mode:04o} lets others read it; it must be 0600 (chmod 600 {path})")
        secret = path.read_bytes().strip()
    except OSError as error:
        raise ConfigError(f"{name}: cannot be read ({error.strerror})") from None
    if len(secret) < SECRET_MIN_LENGTH:
        raise ConfigError(f"{name}: the secret must be at least {SECRET_MIN_LENGTH} characters long")
    return secret


def _generate(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first: read theirs
    except OSError as error:
        raise ConfigError(f"cannot create the secret key file {path} ({error.strerror})") from None
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(48) + "\n")
    log.warning(
        "generated %s (0600): the secret that seals the access-token signing keys in the database; "
        "back it up with the database, which is of no use for signing without it",
        path,
    )
