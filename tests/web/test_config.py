import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feedback.config import ConfigError, from_environment

ROOT = Path(__file__).resolve().parents[2]


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        from_environment(tmp_path, {"APP_ENV": "production", "BASE_URL": "https://x.test"})


def test_production_without_a_base_url_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="BASE_URL is not set"):
        from_environment(tmp_path, {"SECRET_KEY": "s" * 40})


def test_production_is_the_default(tmp_path):
    with pytest.raises(ConfigError):
        from_environment(tmp_path, {})


def test_a_short_production_secret_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="at least 32 characters"):
        from_environment(tmp_path, {"SECRET_KEY": "short", "BASE_URL": "https://x.test"})


@pytest.mark.parametrize("env, message", [
    ({"BASE_URL": "http://feedback.example.test"}, "BASE_URL must be a full https address"),
    ({"SECRET_KEY": " " * 40}, "SECRET_KEY is not set"),
    ({"SECRET_KEY_FALLBACKS": "a"}, "every SECRET_KEY_FALLBACKS key must be at least 32"),
])
def test_production_refuses_unsafe_values(tmp_path, env, message):
    settings = {"SECRET_KEY": "s" * 40, "BASE_URL": "https://feedback.example.test", **env}
    with pytest.raises(ConfigError, match=message):
        from_environment(tmp_path, settings)


def test_development_generates_and_keeps_a_secret(tmp_path):
    first = from_environment(tmp_path, {"APP_ENV": "development"})["SECRET_KEY"]
    second = from_environment(tmp_path, {"APP_ENV": "development"})["SECRET_KEY"]
    assert first == second and len(first) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("name, value", [
    ("LINK_DEFAULT_DAYS", "0"), ("LINK_DEFAULT_DAYS", "many"), ("LOCKOUT_THRESHOLD", "1"),
    ("APP_ENV", "staging"), ("LOG_LEVEL", "LOUD"), ("EXIT_URL", "javascript:alert(1)"),
    ("BASE_URL", "feedback.example"), ("COMPLAINTS_URL", "ftp://example.com"),
    ("DATABASE_URL", "mysql://db.internal/feedback"), ("DATABASE_URL", "/srv/feedback.web.db"),
    ("DATABASE_POOL_SIZE", "0"), ("CLOCK_PINNED_AT", "2027-01-01 00:05"),
    ("CLOCK_PINNED_AT", "new year"),
])
def test_bad_values_are_named(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        from_environment(tmp_path, {"APP_ENV": "development", name: value})


def test_production_refuses_a_pinned_clock(tmp_path):
    settings = {"SECRET_KEY": "s" * 40, "BASE_URL": "https://feedback.example.test",
                "CLOCK_PINNED_AT": "2027-01-01T00:05:00+00:00"}
    with pytest.raises(ConfigError, match="CLOCK_PINNED_AT is only for tests and development"):
        from_environment(tmp_path, settings)


@pytest.mark.parametrize("app_env", ["test", "development"])
def test_tests_and_development_can_pin_the_clock(tmp_path, app_env):
    settings = {"APP_ENV": app_env, "SECRET_KEY": "s" * 40,
                "BASE_URL": "https://feedback.example.test",
                "CLOCK_PINNED_AT": "2027-01-01T00:05:00Z"}
    pinned = from_environment(tmp_path, settings)["CLOCK_PINNED_AT"]
    assert pinned == datetime(2027, 1, 1, 0, 5, tzinfo=UTC)


def test_test_mode_is_production_in_everything_but_the_clock(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        from_environment(tmp_path, {"APP_ENV": "test", "BASE_URL": "https://x.test"})
    config = from_environment(tmp_path, {"APP_ENV": "test", "SECRET_KEY": "s" * 40,
                                         "BASE_URL": "https://x.test"})
    assert config["SESSION_COOKIE_SECURE"] is True and config["CLOCK_PINNED_AT"] is None


def test_a_pinned_clock_reaches_a_server_process(tmp_path):
    """gunicorn's workers, like every process started from create_app, share the moment."""
    script = ("from feedback import create_app; from feedback.domain import clock; create_app(); "
              "print(clock.now().isoformat())")
    env = {"PATH": "/usr/bin:/bin", "APP_ENV": "test", "SECRET_KEY": "s" * 40,
           "BASE_URL": "https://x.test", "DATABASE_PATH": str(tmp_path / "db.sqlite3"),
           "CLOCK_PINNED_AT": "2028-02-29T23:55:00+00:00"}
    shown = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "2028-02-29T23:55:00+00:00"


def test_old_keys_are_read_for_rotation(tmp_path):
    config = from_environment(tmp_path, {"APP_ENV": "development",
                                         "SECRET_KEY_FALLBACKS": "old-one, older-one"})
    assert config["SECRET_KEY_FALLBACKS"] == ["old-one", "older-one"]


def test_the_entry_point_prints_a_clear_message_instead_of_a_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "APP_ENV": "production", "BASE_URL": "https://x.test",
           "DATABASE_PATH": str(tmp_path / "db.sqlite3")}
    result = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("My Met Service cannot start: SECRET_KEY is not set")
    assert "Traceback" not in result.stderr


def test_links_signed_with_a_fallback_key_still_open(app, make_link, client, db):
    link, path = make_link()
    app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
    app.config["SECRET_KEY"] = "a-brand-new-secret-key-after-rotation-0123456789"
    assert client.get(path).status_code == 303


def test_log_lines_never_carry_link_tokens_or_visitor_addresses(monkeypatch):
    import logging

    from feedback.web import logsafety
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    logsafety.install("INFO")
    [handler] = root.handlers
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                               '%s - - [%s] "%s" %s', ("203.0.113.9", "28/Nov/2026",
                               "GET /r/AbCdEfGhIjKlMnOp.aBcDeF.sig-nature_x HTTP/1.1", "303"),
                               None)
    line = handler.format(record)
    assert line.endswith('werkzeug: - - - [28/Nov/2026] "GET /r/[token] HTTP/1.1" 303')
    assert "203.0.113.9" not in line and "AbCdEf" not in line
    assert record.getMessage().startswith("203.0.113.9")  # the record itself is untouched


def test_log_lines_never_carry_the_words_a_trainer_searched_for():
    from feedback.web import logsafety
    line = logsafety.redact('- - - [3/Dec/2026] "GET /trainer/comments?from_month=2026-08'
                            '&words=Amy+Lewis&theme=kept_informed HTTP/1.1" 200')
    assert "Amy" not in line and "Lewis" not in line
    assert "?from_month=2026-08&words=[words]&theme=kept_informed HTTP/1.1" in line
    assert "Amy" not in logsafety.redact("GET /trainer/comments?words=Amy")


@pytest.mark.parametrize("env, base_url", [
    ({}, "http://127.0.0.1:5000"),
    ({"PORT": "8080"}, "http://127.0.0.1:8080"),
    ({"HOST": "192.168.1.20", "PORT": "8000"}, "http://192.168.1.20:8000"),
    ({"HOST": "0.0.0.0", "PORT": "8000"}, "http://127.0.0.1:8000"),  # noqa: S104 (not bound)
    ({"HOST": "192.168.1.20", "BASE_URL": "http://feedback.local:9000"},
     "http://feedback.local:9000"),
])
def test_in_development_links_follow_the_port_make_run_serves(tmp_path, env, base_url):
    """make run PORT=8080 served 8080 while links, QR codes and the code page's
    address still pointed at :5000."""
    assert from_environment(tmp_path, {"APP_ENV": "development", **env})["BASE_URL"] == base_url


def test_a_port_that_is_not_a_number_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="PORT must be a port number, got 'http'"):
        from_environment(tmp_path, {"APP_ENV": "development", "PORT": "http"})


@pytest.mark.parametrize(("app_env", "expected"), [
    ("production", "required"), ("test", "required"), ("development", "optional")])
def test_a_second_factor_is_required_unless_developing(tmp_path, app_env, expected):
    settings = {"APP_ENV": app_env, "SECRET_KEY": "s" * 40,
                "BASE_URL": "https://feedback.example.test"}
    assert from_environment(tmp_path, settings)["SECOND_FACTOR"] == expected


def test_production_refuses_an_optional_second_factor(tmp_path):
    settings = {"SECRET_KEY": "s" * 40, "BASE_URL": "https://feedback.example.test",
                "SECOND_FACTOR": "optional"}
    with pytest.raises(ConfigError, match="SECOND_FACTOR=optional is only for development"):
        from_environment(tmp_path, settings)


@pytest.mark.parametrize("app_env", ["test", "development"])
def test_tests_and_development_can_make_the_second_factor_optional_or_required(tmp_path,
                                                                               app_env):
    settings = {"APP_ENV": app_env, "SECRET_KEY": "s" * 40,
                "BASE_URL": "https://feedback.example.test"}
    for value in ("optional", "required", " Required "):
        assert from_environment(tmp_path, {**settings, "SECOND_FACTOR": value})[
            "SECOND_FACTOR"] == value.strip().lower()


def test_an_unknown_second_factor_setting_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="SECOND_FACTOR must be required or optional"):
        from_environment(tmp_path, {"APP_ENV": "development", "SECOND_FACTOR": "sometimes"})
