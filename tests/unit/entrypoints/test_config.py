from __future__ import annotations

import pytest

from agentry.entrypoints.config import ConfigError, load_settings, quotas, require_broker


def test_the_embedded_profile_needs_nothing_and_keeps_its_database_in_the_working_directory() -> None:
    settings = load_settings({})
    assert settings.embedded
    assert settings.database == "sqlite:///agentry.db"
    assert settings.broker == "stub://"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_values_are_converted_from_strings() -> None:
    settings = load_settings({"AGENTRY_PORT": "9000", "AGENTRY_RELAY_POLL_INTERVAL_S": "0.1", "PATH": "/bin"})
    assert (settings.port, settings.relay_poll_interval_s) == (9000, 0.1)


def test_the_output_caps_default_to_a_mebibyte_per_result_64_kib_per_line_and_100000_lines() -> None:
    defaults = load_settings({})
    assert (defaults.result_max_bytes, defaults.log_line_max_bytes, defaults.log_lines_max) == (
        1 << 20,
        65_536,
        100_000,
    )
    caps = load_settings({"AGENTRY_RESULT_MAX_BYTES": "4096", "AGENTRY_LOG_LINES_MAX": "500"})
    assert (caps.result_max_bytes, caps.log_lines_max) == (4096, 500)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"AGENTRY_PORT": "eighty"}, "AGENTRY_PORT"),
        ({"AGENTRY_PORT": "70000"}, "AGENTRY_PORT"),
        ({"AGENTRY_PROFILE": "prod"}, "AGENTRY_PROFILE"),
        ({"AGENTRY_PROFILE": "production"}, "AGENTRY_DATABASE_URL"),
        ({"AGENTRY_DATABASE_URL": "mysql://x/y"}, "AGENTRY_DATABASE_URL"),
        ({"AGENTRY_REDIS_URL": "http://x"}, "AGENTRY_REDIS_URL"),
        ({"AGENTRY_DATABSE_URL": "sqlite:///x.db"}, "did you mean AGENTRY_DATABASE_URL"),
        ({"AGENTRY_RETRY_BACKOFF_MIN_S": "10", "AGENTRY_RETRY_BACKOFF_MAX_S": "5"}, "AGENTRY_RETRY_BACKOFF_MIN_S"),
        ({"AGENTRY_SCRIPTED_RUNNER": "maybe"}, "AGENTRY_SCRIPTED_RUNNER"),
        ({"AGENTRY_RESULT_MAX_BYTES": "100"}, "AGENTRY_RESULT_MAX_BYTES"),
        ({"AGENTRY_LOG_LINE_MAX_BYTES": "1KiB"}, "AGENTRY_LOG_LINE_MAX_BYTES"),
        ({"AGENTRY_LOG_LINES_MAX": "0"}, "AGENTRY_LOG_LINES_MAX"),
        ({"AGENTRY_RATE_LIMITS": '{"read": {"limit": 5, "window_s": 1}}'}, "AGENTRY_RATE_LIMITS"),
        ({"AGENTRY_RATE_LIMITS": '{"reads": {"limit": 0, "window_s": 1}}'}, "AGENTRY_RATE_LIMITS"),
        ({"AGENTRY_RATE_LIMITS": "reads=5"}, "AGENTRY_RATE_LIMITS"),
        ({"AGENTRY_TRUSTED_PROXIES": '["10.0.0.0/8", "proxy.local"]'}, "AGENTRY_TRUSTED_PROXIES"),
        ({"AGENTRY_RATE_LIMITING": "sometimes"}, "AGENTRY_RATE_LIMITING"),
        ({"AGENTRY_USER_MAX_RUNNING": "0"}, "AGENTRY_USER_MAX_RUNNING"),
        ({"AGENTRY_USER_MAX_WAITING": "none"}, "AGENTRY_USER_MAX_WAITING"),
        ({"AGENTRY_PERSONAL_MONTHLY_BUDGET_USD": "-1"}, "AGENTRY_PERSONAL_MONTHLY_BUDGET_USD"),
        ({"AGENTRY_MAX_JSON_DEPTH": "4"}, "AGENTRY_MAX_JSON_DEPTH"),
        ({"AGENTRY_SECRET_KEY": "x" * 40, "AGENTRY_SECRET_KEY_FILE": "/k"}, "not both"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(env)
    message = str(refused.value)
    assert names in message
    assert "\n" not in message


def test_rate_limits_given_for_some_route_classes_leave_the_others_at_their_defaults() -> None:
    settings = load_settings(
        {
            "AGENTRY_RATE_LIMITS": '{"reads": {"limit": 50, "window_s": 10}}',
            "AGENTRY_TRUSTED_PROXIES": '["10.0.0.0/8", "::1"]',
            "AGENTRY_RATE_LIMITING": "false",
        }
    )
    given = {name: (q.limit, q.window_s) for name, q in quotas(settings).items()}
    assert given["reads"] == (50, 10.0) and given["registration"] == (10, 3600.0)
    assert settings.trusted_proxies == ["10.0.0.0/8", "::1"] and not settings.rate_limiting


def test_the_per_user_quotas_have_defaults_and_null_lifts_each() -> None:
    defaults = load_settings({})
    assert (defaults.user_max_running, defaults.user_max_waiting, defaults.personal_monthly_budget_usd) == (
        2,
        100,
        20.0,
    )
    names = ("AGENTRY_USER_MAX_RUNNING", "AGENTRY_USER_MAX_WAITING", "AGENTRY_PERSONAL_MONTHLY_BUDGET_USD")
    lifted = load_settings(dict.fromkeys(names, "null"))
    assert (lifted.user_max_running, lifted.user_max_waiting, lifted.personal_monthly_budget_usd) == (None, None, None)
    set_ = load_settings(dict(zip(names, ("1", "5", "0"), strict=True)))
    assert (set_.user_max_running, set_.user_max_waiting, set_.personal_monthly_budget_usd) == (1, 5, 0.0)


def test_production_needs_a_broker_to_serve_but_not_to_migrate() -> None:
    settings = load_settings({"AGENTRY_PROFILE": "production", "AGENTRY_DATABASE_URL": "postgresql://x/y"})
    with pytest.raises(ConfigError, match="AGENTRY_REDIS_URL: required"):
        require_broker(settings)
    stub = load_settings(
        {"AGENTRY_PROFILE": "production", "AGENTRY_DATABASE_URL": "postgresql://x/y", "AGENTRY_BROKER_URL": "stub://"}
    )
    with pytest.raises(ConfigError, match="AGENTRY_BROKER_URL"):
        require_broker(stub)
    require_broker(load_settings({}))


def test_production_takes_its_broker_from_the_redis_url_unless_told_otherwise() -> None:
    base = {"AGENTRY_PROFILE": "production", "AGENTRY_DATABASE_URL": "postgresql://db/agentry"}
    assert load_settings(base | {"AGENTRY_REDIS_URL": "redis://r:6379/0"}).broker == "redis://r:6379/0"
    rabbit = base | {"AGENTRY_REDIS_URL": "redis://r", "AGENTRY_BROKER_URL": "amqp://guest:guest@mq:5672"}
    assert load_settings(rabbit).broker.startswith("amqp://")


def test_the_printed_settings_mask_the_api_key_the_clis_environment_and_passwords_in_urls() -> None:
    settings = load_settings(
        {
            "ANTHROPIC_API_KEY": "sk-ant-secret",
            "AGENTRY_CLAUDE_ENV": '{"GITHUB_TOKEN": "ghp-secret"}',
            "AGENTRY_PROFILE": "production",
            "AGENTRY_DATABASE_URL": "postgresql://agentry:pg-secret@db:5432/agentry",
            "AGENTRY_REDIS_URL": "redis://:redis-secret@cache:6379/0",
        }
    )
    shown = repr(settings)
    assert not any(secret in shown for secret in ("sk-ant-secret", "ghp-secret", "pg-secret", "redis-secret"))
    assert "postgresql://agentry:***@db:5432/agentry" in shown and "redis://:***@cache:6379/0" in shown
    assert "anthropic_api_key='***'" in shown and "port=8000" in shown
    assert settings.anthropic_api_key == "sk-ant-secret"  # masked in print only


def test_a_secret_key_too_short_is_named_but_never_shown() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({"AGENTRY_SECRET_KEY": "hunter2-is-short"})
    assert "AGENTRY_SECRET_KEY" in str(refused.value) and "hunter2" not in str(refused.value)
    assert "hunter2" not in repr(load_settings({"AGENTRY_SECRET_KEY": "hunter2" * 6}))


PRODUCTION = {"AGENTRY_PROFILE": "production", "AGENTRY_DATABASE_URL": "postgresql://u@h/db"}


def test_the_pool_and_its_check_out_time_out_follow_the_admitted_concurrency() -> None:
    defaults = load_settings({})
    assert (defaults.http_concurrency, defaults.pool_size, defaults.pool_timeout_s) == (16, 20, 3.8)
    wider = load_settings({"AGENTRY_HTTP_CONCURRENCY": "40", "AGENTRY_HTTP_QUEUE_WAIT_MS": "2000"})
    assert (wider.pool_size, wider.pool_timeout_s) == (44, 8.0)
    assert load_settings({"AGENTRY_DB_POOL_SIZE": "50"}).pool_size == 50
    with pytest.raises(ConfigError, match=r"^AGENTRY_DB_POOL_SIZE: must exceed AGENTRY_HTTP_CONCURRENCY \(16\)"):
        load_settings({"AGENTRY_DB_POOL_SIZE": "16"})


def test_serve_runs_a_process_per_core_in_production_and_one_embedded() -> None:
    import os

    assert load_settings({}).serve_processes == 1
    assert load_settings(PRODUCTION).serve_processes == len(os.sched_getaffinity(0))
    assert load_settings(PRODUCTION | {"AGENTRY_SERVE_WORKERS": "3"}).serve_processes == 3
    with pytest.raises(ConfigError, match=r"^AGENTRY_SERVE_WORKERS: the embedded profile"):
        load_settings({"AGENTRY_SERVE_WORKERS": "2"})
