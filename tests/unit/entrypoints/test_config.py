from __future__ import annotations

import pytest

from agentry.entrypoints.config import ConfigError, load_settings, require_broker


def test_the_embedded_profile_needs_nothing_and_keeps_its_database_in_the_working_directory() -> None:
    settings = load_settings({})
    assert settings.embedded
    assert settings.database == "sqlite:///agentry.db"
    assert settings.broker == "stub://"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_values_are_converted_from_strings() -> None:
    settings = load_settings({"AGENTRY_PORT": "9000", "AGENTRY_RELAY_POLL_INTERVAL_S": "0.1", "PATH": "/bin"})
    assert (settings.port, settings.relay_poll_interval_s) == (9000, 0.1)


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
