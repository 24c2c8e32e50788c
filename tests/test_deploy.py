"""Deployment: the data directory, config from the environment, JSON logs, doctor, a newcomer's first minutes."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from bot.config import ConfigError, load_config
from bot.doctor import check_all
from bot.log import JsonFormatter, RedactAddresses
from bot.shipped import default_config, templates_dir
from bot.startup import startup_lines

OFFICE = "enquiries@wessexvale-pcc.gov.uk"


def test_shipped_files_are_found_through_the_package() -> None:
    assert (templates_dir() / "reply" / "opcc.txt.j2").is_file()
    assert yaml.safe_load(default_config().read_text(encoding="utf-8"))["office"]["mailbox"] == OFFICE


def test_relative_paths_are_inside_the_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SIGNPOST_HOME", str(tmp_path / "home"))
    cfg = load_config(default_config())  # the shipped file's relative paths
    home = tmp_path / "home"
    assert cfg.home == str(home)
    assert cfg.store.url == f"sqlite:///{home}/signpost.db"
    assert cfg.channels.smtp_outbound.sink_dir == str(home / "outbound")
    assert cfg.triage.model_path == str(home / "model.joblib")
    # --home wins over the environment; absolute paths and server URLs are left alone.
    cfg = load_config(default_config(), {"store.url": "postgresql+psycopg://u@db/signpost",
                             "channels.smtp_outbound.sink_dir": "/srv/sink"}, home="other")
    assert cfg.home == str(tmp_path / "other")
    assert cfg.store.url == "postgresql+psycopg://u@db/signpost"
    assert cfg.channels.smtp_outbound.sink_dir == "/srv/sink"


def test_config_and_store_url_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = yaml.safe_load(default_config().read_text(encoding="utf-8"))
    data["store"]["url_env"] = "SIGNPOST_DATABASE_URL"
    data["office"]["name"] = "Office of the PCC for Testshire"
    (tmp_path / "office.yaml").write_text(yaml.safe_dump(data))
    monkeypatch.setenv("SIGNPOST_CONFIG", str(tmp_path / "office.yaml"))
    monkeypatch.delenv("SIGNPOST_DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="store.url_env names SIGNPOST_DATABASE_URL, which is not set"):
        load_config(home=tmp_path)
    monkeypatch.setenv("SIGNPOST_DATABASE_URL", "postgresql+psycopg://signpost:s3cret@db/signpost")
    cfg = load_config(home=tmp_path)
    assert cfg.office.name == "Office of the PCC for Testshire"
    assert cfg.store.url == "postgresql+psycopg://signpost:s3cret@db/signpost"


def test_oauth2_settings_are_checked_per_provider(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="microsoft needs tenant"):
        load_config(None, {"channels.imap.auth": "oauth2", "channels.imap.username": OFFICE,
                           "channels.imap.oauth2": {"provider": "microsoft", "client_id": "x"}}, home=tmp_path)
    with pytest.raises(ConfigError, match="flow 'service_account' is not one of"):
        load_config(None, {"channels.smtp_outbound.oauth2": {"provider": "generic", "token_url": "https://t.example",
                                                              "flow": "service_account"}}, home=tmp_path)
    with pytest.raises(ConfigError, match="auth: oauth2 needs an oauth2 section"):
        load_config(None, {"channels.imap.auth": "oauth2"}, home=tmp_path)


def test_json_log_lines_are_objects_with_addresses_redacted_but_the_office_kept() -> None:
    record = logging.LogRecord("bot.worker", logging.INFO, __file__, 1, "from %s to %s",
                               ("jane.doe@example.com", OFFICE), None)
    RedactAddresses(keep=[OFFICE]).filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO" and line["logger"] == "bot.worker"
    assert line["message"] == f"from j***@example.com to {OFFICE}"


def test_startup_names_the_mailbox_where_replies_go_and_what_is_off(make_cfg: Any) -> None:
    text = "\n".join(startup_lines(make_cfg(), 8025, telegram_on=False))
    assert f"office mailbox {OFFICE}" in text
    assert "replies are written to" in text and "outbound" in text
    assert "IMAP off" in text and "Telegram off" in text and "dashboard off" in text
    text = "\n".join(startup_lines(make_cfg(**{"channels.smtp_outbound.enabled": True,
                                               "channels.smtp_outbound.host": "smtp.office365.com",
                                               "channels.smtp_outbound.port": 587,
                                               "channels.smtp_outbound.tls": "starttls"}), None, False))
    assert "relay smtp.office365.com:587, TLS starttls" in text and "SMTP intake off" in text


def test_replay_names_sink_files_by_reference_and_logs_each_case(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mail = (b"From: Ada <ada@example.com>\r\nTo: " + OFFICE.encode() + b"\r\nSubject: Street lights\r\n"
            b"Date: Mon, 01 Jun 2026 10:00:00 +0100\r\nMessage-ID: <ada-1@example.com>\r\n\r\n"
            b"The street lights on Elm Road have been out for a week.\r\n")
    (tmp_path / "0001.eml").write_bytes(mail)
    assert main(["replay", str(tmp_path / "0001.eml"), "--home", str(tmp_path / "home"), "-v"]) == 0
    (ack,) = (tmp_path / "home" / "replay-outbound").iterdir()
    assert ack.name.startswith("MID-2026-00001-")
    log = capsys.readouterr().err
    assert "MID-2026-00001 new case (replay): correspondence -> " in log and "acknowledgement queued" in log
    assert "MID-2026-00001 ack sent to a***@example.com by email" in log


@pytest.mark.parametrize("argv", [["--help"], ["cases", "--help"], ["doctor", "--help"], ["digest", "--help"]])
def test_commands_that_do_not_triage_never_import_scikit_learn(argv: list[str]) -> None:
    code = ("import sys\nfrom bot.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('SKLEARN' if 'sklearn' in sys.modules else 'LIGHT')")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60).stdout
    assert out.strip().endswith("LIGHT")


def test_default_config_prints_the_bundled_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["default-config"]) == 0
    assert capsys.readouterr().out == default_config().read_text(encoding="utf-8")


# ---- signpost doctor ----

async def test_doctor_passes_a_healthy_config(make_cfg: Any, smtp_sink: Any) -> None:
    cfg = make_cfg(**{"channels.smtp_outbound.enabled": True, "channels.smtp_outbound.port": smtp_sink.port,
                      "web.enabled": True})
    findings = await check_all(cfg)
    assert not [f for f in findings if f.status == "FAIL"], findings
    areas = {f.area: f for f in findings if f.status == "ok"}
    assert "EHLO answered" in areas["smtp relay"].message
    assert "templates compile" in areas["templates"].message


async def test_doctor_names_each_fault_and_its_fix(make_cfg: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   dovecot_server: Any) -> None:
    monkeypatch.delenv("SIGNPOST_IMAP_PASSWORD", raising=False)
    monkeypatch.setenv("DOCTOR_IMAP_PW", "wrong")
    box = dovecot_server.add_user()
    cfg = make_cfg(**{"channels.imap": {"enabled": True, "host": box.host, "port": box.port, "tls": "none",
                                        "username": box.username, "password_env": "DOCTOR_IMAP_PW"},
                      "channels.smtp_outbound": {"enabled": True, "host": "127.0.0.1", "port": 1, "tls": "none"},
                      "alerts.duty_addresses": [], "digest.recipients": ["not-an-address"],
                      "store.url": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    failed = {f.area: f for f in await check_all(cfg) if f.status == "FAIL"}
    assert "refused the login" in failed["imap"].message and "DOCTOR_IMAP_PW" in failed["imap"].fix
    assert "cannot talk to 127.0.0.1:1" in failed["smtp relay"].message
    assert "cannot connect" in failed["store"].message
    assert "not-an-address" in failed["addresses"].message or "alert nobody" in failed["addresses"].message


def test_doctor_exit_status_and_a_config_that_does_not_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    bad = tmp_path / "bad.yaml"
    data = yaml.safe_load(default_config().read_text(encoding="utf-8"))
    data["channels"]["smtp_outbound"]["tls"] = "sometimes"
    bad.write_text(yaml.safe_dump(data))
    assert main(["doctor", "--config", str(bad), "--home", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  config" in out and "channels.smtp_outbound.tls" in out and "fix:" in out


def test_urgent_alert_links_to_the_case_when_public_url_is_set(tmp_path: Path) -> None:
    data = yaml.safe_load(default_config().read_text(encoding="utf-8"))
    data["web"]["public_url"] = "https://signpost.office.example/"
    (tmp_path / "office.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "0001.eml").write_bytes(
        b"From: Sam <sam@example.com>\r\nTo: " + OFFICE.encode() + b"\r\nSubject: help\r\n"
        b"Date: Mon, 01 Jun 2026 22:00:00 +0100\r\nMessage-ID: <sam-1@example.com>\r\n\r\n"
        b"My ex is outside my door right now and says he will hurt me. I am scared.\r\n")
    assert main(["replay", str(tmp_path / "0001.eml"), "--config", str(tmp_path / "office.yaml"),
                 "--home", str(tmp_path / "home")]) == 0
    sent = [p.read_text() for p in (tmp_path / "home" / "replay-outbound").iterdir()]
    (alert,) = [t for t in sent if "URGENT CONTACT" in t]
    assert "Open it: https://signpost.office.example/case/MID-2026-00001" in alert


async def test_doctor_asks_telegram_getme_and_says_when_the_token_is_wrong(
        make_cfg: Any, api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.doctor import check_telegram

    cfg = make_cfg(**{"channels.telegram": {"enabled": True, "base_url": api.base_url,
                                            "base_file_url": api.base_file_url, "token_env": "DOCTOR_TG"}})
    monkeypatch.setenv("DOCTOR_TG", api.token)
    (found,) = await check_telegram(cfg)
    assert found.status == "ok" and found.message.startswith("@") and api.method_calls("getMe")
    monkeypatch.setenv("DOCTOR_TG", "999:wrong")
    (found,) = await check_telegram(cfg)
    assert found.status == "FAIL" and "DOCTOR_TG" in found.fix
