"""Configuration from AGENTRY_* environment variables, validated once at start.

A bad value stops the process with one line naming the variable (exit code 2). Two settings keep
the names the Anthropic tools use, without the prefix: ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from agentry.application.ports.rate_limits import Quota

PREFIX = "AGENTRY_"
EMBEDDED_DATABASE_URL = "sqlite:///agentry.db"

Port = Annotated[int, msgspec.Meta(ge=1, le=65535)]
Positive = Annotated[int, msgspec.Meta(ge=1)]
Seconds = Annotated[float, msgspec.Meta(gt=0)]
Dollars = Annotated[float, msgspec.Meta(ge=0)]
UNPREFIXED = {"ANTHROPIC_API_KEY": "anthropic_api_key", "ANTHROPIC_BASE_URL": "anthropic_base_url"}
JSON_SETTINGS = frozenset({"claude_env", "anthropic_prices", "rate_limits", "trusted_proxies"})
# The CLI's environment may hold keys.
SECRET_SETTINGS = frozenset({"anthropic_api_key", "claude_env", "secret_key", "metrics_token", "embeddings_api_key"})
URL_SETTINGS = frozenset({"database_url", "redis_url", "broker_url", "vector_database_url"})
# Connections beyond the admitted requests: the outbox relays, health checks, the live channels' re-checks.
POOL_RESERVE = 4
PGVECTOR_HNSW_MAX_DIMENSION = 2000
_URL_PASSWORD = re.compile(r"^([a-z0-9+.-]+://[^:/@]*:)[^@]*@", re.IGNORECASE)


class ModelPriceSetting(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """US dollars per million tokens, as AGENTRY_ANTHROPIC_PRICES gives them for one model."""

    input: Dollars
    output: Dollars
    cache_write: Dollars
    cache_read: Dollars


class QuotaSetting(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """At most `limit` requests in any `window_s` seconds."""

    limit: Positive
    window_s: Seconds


class RateLimitSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A quota per route class, as AGENTRY_RATE_LIMITS gives them (classes it leaves out keep these).

    Per client address: login, registration, refresh. Per credential (per client address without one):
    password (changes), reads (GET, HEAD) and writes (the other methods) of the rest of /api/v1."""

    login: QuotaSetting = QuotaSetting(30, 60.0)
    registration: QuotaSetting = QuotaSetting(10, 3600.0)
    refresh: QuotaSetting = QuotaSetting(60, 60.0)
    password: QuotaSetting = QuotaSetting(20, 3600.0)
    reads: QuotaSetting = QuotaSetting(1200, 60.0)
    writes: QuotaSetting = QuotaSetting(300, 60.0)

    def __str__(self) -> str:
        """As AGENTRY_RATE_LIMITS would give them."""
        return msgspec.json.encode(self).decode()


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    profile: Literal["embedded", "production"] = "embedded"
    host: str = "127.0.0.1"
    port: Port = 8000
    database_url: str | None = None
    redis_url: str | None = None
    broker_url: str | None = None
    redis_namespace: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")] = "agentry"
    runner: Literal["auto", "claude-code", "anthropic", "scripted"] = "auto"
    scripted_runner: bool | None = None  # None: on in the embedded profile, off in production
    claude_path: Annotated[str, msgspec.Meta(min_length=1)] | None = None
    claude_grace_s: Seconds = 5.0
    claude_env: dict[str, str] = msgspec.field(default_factory=dict)
    work_dir: Annotated[str, msgspec.Meta(min_length=1)] | None = None
    sandbox: Literal["bubblewrap", "none"] = "bubblewrap"
    bwrap_path: Annotated[str, msgspec.Meta(min_length=1)] = "bwrap"
    sandbox_memory_mib: Annotated[int, msgspec.Meta(ge=256)] = 4096
    sandbox_processes: Annotated[int, msgspec.Meta(ge=32)] = 512
    sandbox_cpu_s: Positive = 3600
    sandbox_file_size_mib: Positive = 1024
    sandbox_workspace_mib: Positive = 4096
    egress_allow_private: bool = False  # CONNECT to loopback/private/link-local addresses (tests, internal mirrors)
    egress_max_connections: Positive = 256  # tunnels one run may open
    anthropic_api_key: Annotated[str, msgspec.Meta(min_length=1)] | None = None
    anthropic_base_url: Annotated[str, msgspec.Meta(pattern=r"^https?://")] | None = None
    anthropic_model: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] = "claude-sonnet-4-6"
    anthropic_max_tokens: Annotated[int, msgspec.Meta(ge=1, le=128_000)] = 8_192
    anthropic_prices: dict[str, ModelPriceSetting] = msgspec.field(default_factory=dict)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "console"] = "auto"  # auto: console on a terminal, JSON otherwise
    # Admission control (entrypoints/http/kit/admission.py) and what follows from it; README "Sizing".
    http_concurrency: Positive = 16
    http_queue: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 1024
    http_queue_wait_ms: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 950
    serve_workers: Positive | None = None  # None: the number of cores in production, 1 embedded
    db_pool_size: Positive | None = None  # None: http_concurrency + POOL_RESERVE
    embedded_worker_threads: Positive = 4
    worker_processes: Positive = 1
    worker_threads: Positive = 8
    relay_poll_interval_s: Seconds = 0.5
    relay_batch_size: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 500
    outbox_retention_s: Seconds = 7 * 86_400.0
    idempotency_key_ttl_s: Seconds = 7 * 86_400.0
    log_batch_size: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 200
    log_flush_interval_s: Seconds = 0.02
    heartbeat_interval_s: Seconds = 1.0
    worker_lost_after_s: Seconds = 15.0
    redispatch_after_s: Seconds = 300.0
    shutdown_grace_s: Annotated[float, msgspec.Meta(ge=0)] = 30.0
    limit_wait_s: Seconds = 1.0
    # Per-user quotas across all projects; `null` lifts one. Two running leaves the embedded profile's
    # four worker threads room for others; see the README's "Fair share and quotas".
    user_max_running: Annotated[int, msgspec.Meta(ge=1, le=10_000)] | None = 2
    user_max_waiting: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] | None = 100
    personal_monthly_budget_usd: Annotated[float, msgspec.Meta(ge=0, le=1_000_000_000)] | None = 20.0
    live_recheck_s: Seconds = 30.0
    retry_backoff_min_s: Seconds = 1.0
    retry_backoff_max_s: Seconds = 300.0
    max_request_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 1_048_576
    result_max_bytes: Annotated[int, msgspec.Meta(ge=1024, le=1 << 30)] = 1 << 20
    log_line_max_bytes: Annotated[int, msgspec.Meta(ge=1024, le=16 << 20)] = 64 << 10
    log_lines_max: Annotated[int, msgspec.Meta(ge=100, le=100_000_000)] = 100_000
    max_json_depth: Annotated[int, msgspec.Meta(ge=8, le=256)] = 32
    open_registration: bool = True
    password_min_length: Annotated[int, msgspec.Meta(ge=8, le=128)] = 12
    access_token_ttl_s: Annotated[int, msgspec.Meta(ge=30, le=86_400)] = 600
    # How long an API process keeps a principal between requests (production, while it hears the
    # changes on Redis); 0: read it from the database on every request
    principal_cache_ttl_s: Annotated[float, msgspec.Meta(ge=0, le=3_600)] = 60.0
    # How long an API process keeps a task's validator (version, project, owner, status) for conditional
    # reads (production, while it hears the changes on Redis); 0: read it on every conditional read
    task_version_cache_ttl_s: Annotated[float, msgspec.Meta(ge=0, le=3_600)] = 60.0
    refresh_token_ttl_s: Annotated[int, msgspec.Meta(ge=60)] = 30 * 86_400
    invitation_ttl_s: Annotated[int, msgspec.Meta(ge=60, le=365 * 86_400)] = 7 * 86_400
    # How long a visitor of a project's public chat (its cookie) lasts; housekeeping then deletes its chats
    anon_chat_ttl_s: Annotated[int, msgspec.Meta(ge=60, le=30 * 86_400)] = 86_400
    jwt_issuer: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] = "agentry"
    jwt_audience: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] = "agentry-api"
    signing_key_reload_s: Seconds = 60.0
    secret_key: Annotated[str, msgspec.Meta(min_length=32)] | None = None
    secret_key_file: Annotated[str, msgspec.Meta(min_length=1)] | None = None
    argon2_memory_kib: Annotated[int, msgspec.Meta(ge=19_456, le=4_194_304)] = 19_456
    argon2_time_cost: Annotated[int, msgspec.Meta(ge=2, le=20)] = 2
    argon2_threads: Annotated[int, msgspec.Meta(ge=1, le=64)] = 2
    rate_limiting: bool = True
    rate_limits: RateLimitSettings = msgspec.field(default_factory=RateLimitSettings)
    trusted_proxies: list[str] = msgspec.field(default_factory=list)
    # Prometheus metrics on a port of their own, never on the API's (README "Metrics and dashboards").
    metrics: bool | None = None  # None: on in production, off in the embedded profile
    metrics_host: Annotated[str, msgspec.Meta(min_length=1)] | None = None  # None: 0.0.0.0 production, else 127.0.0.1
    metrics_port: Port = 9464
    worker_metrics_port: Port = 9465
    metrics_token: Annotated[str, msgspec.Meta(min_length=16)] | None = None
    metrics_dir: Annotated[str, msgspec.Meta(min_length=1)] | None = None
    metrics_max_projects: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 50
    # The stats and usage-report cache (README "Stats cache"): Redis in production, this process's memory
    # when embedded; off in production without AGENTRY_REDIS_URL (one process's memory would miss the
    # invalidations other processes' relays deliver).
    read_cache: bool = True
    read_cache_ttl_s: Seconds = 300.0
    read_cache_max_entries: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 10_000
    # Webhooks (see the README's "Webhooks"): retry delays in seconds, comma-separated.
    webhook_allow_private: bool = False
    webhook_allow_http: bool = False
    webhook_timeout_s: Annotated[float, msgspec.Meta(gt=0, le=300)] = 10.0
    webhook_retry_schedule: Annotated[str, msgspec.Meta(pattern=r"^\d+(\.\d+)?( *, *\d+(\.\d+)?){0,49}$")] = (
        "5,300,1800,7200,18000,36000,36000"
    )
    webhook_disable_after_failures: Positive = 50
    webhook_disable_after_s: Seconds = 5 * 86_400.0
    webhook_max_in_flight: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 4
    webhook_response_max_bytes: Annotated[int, msgspec.Meta(ge=1024, le=16 << 20)] = 64 << 10
    # Embeddings (README "Embeddings and vector search"): the local all-MiniLM-L6-v2, or an
    # OpenAI-compatible /v1/embeddings server (URL up to /v1, model, vector dimension, optional key).
    embedder: Literal["local", "openai"] = "local"
    embeddings_url: Annotated[str, msgspec.Meta(pattern=r"^https?://")] | None = None
    embeddings_model: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    embeddings_dimension: Annotated[int, msgspec.Meta(ge=1, le=16_000)] | None = None
    embeddings_api_key: Annotated[str, msgspec.Meta(min_length=1)] | None = None
    embeddings_batch: Annotated[int, msgspec.Meta(ge=1, le=2048)] = 64
    embeddings_timeout_s: Annotated[float, msgspec.Meta(gt=0, le=600)] = 30.0
    # Where pgvector keeps the vectors when not in the main database (a PostgreSQL with the `vector`
    # extension, e.g. when the main one cannot have it); None: the main database (README "Search").
    vector_database_url: str | None = None
    # GraphQL (README "GraphQL"): the deepest selection and the highest estimated cost a query may have.
    graphql_max_depth: Annotated[int, msgspec.Meta(ge=2, le=100)] = 10
    graphql_max_cost: Annotated[int, msgspec.Meta(ge=1, le=10_000_000)] = 20_000
    graphql_introspection: bool | None = None  # None: on in the embedded profile, off in production
    # Knowledge extraction (README "Knowledge extraction"): the offline rules, or the Anthropic Messages API
    # (with ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL as the Anthropic runner has them; the model: this, else
    # AGENTRY_ANTHROPIC_MODEL).
    extractor: Literal["offline", "anthropic"] = "offline"
    extractor_model: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    extractor_timeout_s: Annotated[float, msgspec.Meta(gt=0, le=3600)] = 120.0
    # Entity resolution: how similar (cosine of the names' embeddings) a new name must be to an entity's
    # of the same type to resolve to it when neither a name nor an alias does (README "Knowledge extraction").
    entity_similarity_threshold: Annotated[float, msgspec.Meta(gt=0, le=1)] = 0.94
    # Documents: the largest upload (a whole document, or a JSON text), and the page cap of a PDF.
    document_max_bytes: Annotated[int, msgspec.Meta(ge=1024, le=1 << 30)] = 20 << 20
    document_max_pdf_pages: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 2_000
    # a multipart batch's whole body (its files each within document_max_bytes)
    document_max_batch_bytes: Annotated[int, msgspec.Meta(ge=1024, le=1 << 32)] = 100 << 20

    def __repr__(self) -> str:
        """Every setting, with the API key and the passwords in URLs masked: settings get logged."""
        shown = []
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if name in SECRET_SETTINGS and value:
                value = "***"
            elif name in URL_SETTINGS and value is not None:
                value = _URL_PASSWORD.sub(r"\1***@", value)
            shown.append(f"{name}={value!r}")
        return f"Settings({', '.join(shown)})"

    @property
    def embedded(self) -> bool:
        return self.profile == "embedded"

    @property
    def graphql_introspection_enabled(self) -> bool:
        return self.embedded if self.graphql_introspection is None else self.graphql_introspection

    @property
    def scripted_runner_enabled(self) -> bool:
        return self.embedded if self.scripted_runner is None else self.scripted_runner

    @property
    def metrics_enabled(self) -> bool:
        return not self.embedded if self.metrics is None else self.metrics

    @property
    def metrics_interface(self) -> str:
        return self.metrics_host or ("127.0.0.1" if self.embedded else "0.0.0.0")

    @property
    def pool_size(self) -> int:
        """Database connections per process: one per admitted request, and a few for the rest."""
        return self.db_pool_size or self.http_concurrency + POOL_RESERVE

    @property
    def pool_timeout_s(self) -> float:
        """How long a check-out may wait: admitted requests find a connection free, so a longer wait
        means the database is stuck; a few times the queue's wait, 2 to 10 s."""
        return min(10.0, max(2.0, 4 * self.http_queue_wait_ms / 1000))

    @property
    def serve_processes(self) -> int:
        """`agentry serve` processes: AGENTRY_SERVE_WORKERS, else the cores this process may use in
        production; the embedded profile (SQLite, in-process workers) is one process."""
        if self.serve_workers is not None:
            return self.serve_workers
        if self.embedded:
            return 1
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

    @property
    def database(self) -> str:
        return self.database_url or EMBEDDED_DATABASE_URL

    @property
    def work_directory(self) -> Path:
        """Where the Claude Code runner keeps task directories: AGENTRY_WORK_DIR, else `agentry-work`
        next to the SQLite database, else in the working directory."""
        if self.work_dir:
            return Path(self.work_dir).resolve()
        database = self.database
        beside = Path(database.split(":///", 1)[1]).parent if database.startswith("sqlite:///") else Path()
        return (beside / "agentry-work").resolve()

    @property
    def broker(self) -> str:
        if self.embedded and not self.broker_url:
            return "stub://"
        return self.broker_url or self.redis_url or ""


def quotas(settings: Settings) -> dict[str, Quota]:
    """The quota of each route class."""
    limits = settings.rate_limits
    return {
        name: Quota(getattr(limits, name).limit, getattr(limits, name).window_s) for name in limits.__struct_fields__
    }


class ConfigError(Exception):
    """One line that names the variable and says what is wrong with it."""


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    fields = set(Settings.__struct_fields__)
    raw: dict[str, str] = {}
    for name, value in env.items():
        if not name.startswith(PREFIX):
            continue
        field = name[len(PREFIX) :].lower()
        if field in UNPREFIXED.values():
            raise ConfigError(f"{name}: unknown setting; did you mean {field.upper()}?")
        if field not in fields:
            close = difflib.get_close_matches(field, sorted(fields - set(UNPREFIXED.values())), n=1)
            hint = f"; did you mean {PREFIX}{close[0].upper()}?" if close else ""
            raise ConfigError(f"{name}: unknown setting{hint}")
        raw[field] = value
    raw |= {field: env[name] for name, field in UNPREFIXED.items() if env.get(name)}
    given = dict(raw)
    for field in JSON_SETTINGS & raw.keys():
        try:
            raw[field] = msgspec.json.decode(raw[field])
        except msgspec.DecodeError as error:
            raise ConfigError(f"{PREFIX}{field.upper()}: not JSON ({error})") from None
    try:
        settings = msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as error:
        raise ConfigError(_describe(error, given)) from None
    _check_relations(settings)
    return settings


def require_broker(settings: Settings) -> None:
    """Serving and working need a broker; migrating does not."""
    if not settings.broker:
        raise ConfigError(f"{PREFIX}REDIS_URL: required when {PREFIX}PROFILE=production")
    if not settings.embedded and settings.broker.startswith("stub:"):
        raise ConfigError(f"{PREFIX}BROKER_URL: stub:// only works in-process (AGENTRY_PROFILE=embedded)")


def _describe(error: msgspec.ValidationError, raw: dict[str, str]) -> str:
    message = str(error)
    match = re.search(r" - at `\$\.(\w+)[^`]*`", message)
    if not match:
        return f"invalid configuration: {message}"
    field = match.group(1)
    reason = message[: match.start()]
    name = next((unprefixed for unprefixed, f in UNPREFIXED.items() if f == field), f"{PREFIX}{field.upper()}")
    shown = "***" if field in SECRET_SETTINGS else repr(raw.get(field, ""))  # never echo a secret
    return f"{name}={shown}: {reason}"


def _check_relations(settings: Settings) -> None:
    from agentry.adapters.dramatiq.brokers import BROKER_SCHEMES
    from agentry.adapters.sqlalchemy.engine import UnsupportedDatabase, backend_of

    if settings.profile == "production" and not settings.database_url:
        raise ConfigError(f"{PREFIX}DATABASE_URL: required when {PREFIX}PROFILE=production")
    try:
        backend_of(settings.database)
    except (UnsupportedDatabase, ValueError) as error:
        raise ConfigError(f"{PREFIX}DATABASE_URL: {error}") from None
    for name in ("redis_url", "broker_url"):
        url = getattr(settings, name)
        scheme = url.split("://", 1)[0] if url and "://" in url else None
        allowed = ("redis", "rediss") if name == "redis_url" else BROKER_SCHEMES
        if url and scheme not in allowed:
            raise ConfigError(f"{PREFIX}{name.upper()}: must start with {' or '.join(s + '://' for s in allowed)}")
    for proxy in settings.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(f"{PREFIX}TRUSTED_PROXIES: {proxy!r} is not an IP address or network") from None
    if settings.secret_key and settings.secret_key_file:
        raise ConfigError(f"{PREFIX}SECRET_KEY_FILE: give either it or {PREFIX}SECRET_KEY, not both")
    if settings.db_pool_size is not None and settings.db_pool_size <= settings.http_concurrency:
        raise ConfigError(
            f"{PREFIX}DB_POOL_SIZE: must exceed {PREFIX}HTTP_CONCURRENCY ({settings.http_concurrency}): each "
            "admitted request holds a connection, and the relays and health checks need more"
        )
    if settings.embedded and (settings.serve_workers or 1) > 1:
        raise ConfigError(f"{PREFIX}SERVE_WORKERS: the embedded profile (SQLite, in-process workers) is one process")
    if settings.embedder == "openai":
        for name in ("embeddings_url", "embeddings_model", "embeddings_dimension"):
            if getattr(settings, name) is None:
                raise ConfigError(f"{PREFIX}{name.upper()}: required when {PREFIX}EMBEDDER=openai")
    if settings.extractor == "anthropic" and not settings.anthropic_api_key:
        raise ConfigError(f"{PREFIX}EXTRACTOR=anthropic: ANTHROPIC_API_KEY is not set")
    if settings.vector_database_url is not None:
        try:
            vector_backend = backend_of(settings.vector_database_url)
        except (UnsupportedDatabase, ValueError) as error:
            raise ConfigError(f"{PREFIX}VECTOR_DATABASE_URL: {error}") from None
        if vector_backend == "sqlite":
            raise ConfigError(f"{PREFIX}VECTOR_DATABASE_URL: must be a PostgreSQL URL (pgvector)")
    uses_pgvector = settings.vector_database_url is not None or backend_of(settings.database) != "sqlite"
    if (settings.embeddings_dimension or 0) > PGVECTOR_HNSW_MAX_DIMENSION and uses_pgvector:
        raise ConfigError(
            f"{PREFIX}EMBEDDINGS_DIMENSION: pgvector's HNSW index takes at most "
            f"{PGVECTOR_HNSW_MAX_DIMENSION} dimensions"
        )
    if settings.retry_backoff_min_s > settings.retry_backoff_max_s:
        raise ConfigError(f"{PREFIX}RETRY_BACKOFF_MIN_S: must not exceed {PREFIX}RETRY_BACKOFF_MAX_S")
    if settings.metrics_enabled and settings.metrics_port in (settings.port, settings.worker_metrics_port):
        raise ConfigError(f"{PREFIX}METRICS_PORT: must differ from {PREFIX}PORT and {PREFIX}WORKER_METRICS_PORT")
    if settings.worker_lost_after_s < 2 * settings.heartbeat_interval_s:
        raise ConfigError(
            f"{PREFIX}WORKER_LOST_AFTER_S: must be at least twice {PREFIX}HEARTBEAT_INTERVAL_S "
            f"({2 * settings.heartbeat_interval_s:g}s), or a live worker's executions would be taken from it"
        )
