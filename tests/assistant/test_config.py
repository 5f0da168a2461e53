"""Settings: defaults that run locally, and one clear line for anything malformed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.config import ConfigError, load_settings


def test_runs_locally_without_twilio():
    settings = load_settings({}, read_dotenv=False)
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith(
        "var/assistant.sqlite3"
    )
    assert not settings.twilio_enabled
    assert settings.webhook_auth_token  # local signing still works


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"RASA_URL": "localhost:5005"}, "RASA_URL"),
        ({"PUBLIC_BASE_URL": "ftp://x"}, "PUBLIC_BASE_URL"),
        ({"TWILIO_ACCOUNT_SID": "AC123"}, "TWILIO_ACCOUNT_SID"),
        ({"TWILIO_ACCOUNT_SID": "AC" + "0" * 32}, "TWILIO_AUTH_TOKEN"),
        ({"TWILIO_PHONE_NUMBER": "555-0100"}, "TWILIO_PHONE_NUMBER"),
        ({"RASA_TIMEOUT_SECONDS": "soon"}, "RASA_TIMEOUT_SECONDS"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ],
)
def test_malformed_setting_names_the_variable(env, names):
    with pytest.raises(ConfigError) as error:
        load_settings(env, read_dotenv=False)
    assert names in str(error.value)
    assert "\n" not in str(error.value)


def test_real_twilio_credentials_need_a_sender_and_a_secret():
    base = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "f" * 32}
    with pytest.raises(ConfigError, match="TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID"):
        load_settings(base, read_dotenv=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings({**base, "TWILIO_PHONE_NUMBER": "+15555550100"}, read_dotenv=False)


def test_start_up_with_a_malformed_value_fails_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "check-config"],
        env={"DATABASE_URL": "oracle://nope", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "configuration error: DATABASE_URL must start with sqlite:// or postgresql://"
        " (got scheme 'oracle')"
    ]


def test_database_timeout_defaults_to_4_s_and_stays_under_twilios_15_s():
    from assistant.config import ConfigError, load_settings

    assert load_settings({}).database_timeout_seconds == 4.0
    assert load_settings({"DATABASE_TIMEOUT_SECONDS": "0"}).database_timeout_seconds == 0.0
    with pytest.raises(ConfigError, match="DATABASE_TIMEOUT_SECONDS"):
        load_settings({"DATABASE_TIMEOUT_SECONDS": "9"})
