"""Real `signpost run` processes on one PostgreSQL schema, fed by SMTP (tests/test_multiworker.py and
bench/multiworker_bench.py): a config file per cluster, start, kill -9, restart, and a message
generator whose every message is acknowledged."""

from __future__ import annotations

import os
import random
import re
import signal
import smtplib
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, create_engine, text

ROOT = Path(__file__).resolve().parent.parent
TEST_CONFIG = Path(__file__).resolve().parent / "config.yaml"
PG_URL = os.environ.get("SIGNPOST_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
OFFICE = "enquiries@wessexvale-pcc.gov.uk"
_PORT = re.compile(r"SMTP intake on port (\d+)")


@contextmanager
def pg_schema() -> Iterator[tuple[str, Engine]]:
    """A fresh, empty PostgreSQL schema: (a store URL whose connections use it, an engine on it).

    Raises AssertionError (a failure, never a skip) when PostgreSQL is not reachable."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        raise AssertionError(f"PostgreSQL unreachable at {PG_URL} (trust auth, database test): {exc}") from exc
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    engine = create_engine(url)
    try:
        yield url, engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def write_config(path: Path, store_url: str, sink_port: int, **overrides: Any) -> Path:
    """The suite's config with the store, the outbound sink and `overrides` ("a.b": value) set."""
    data = yaml.safe_load(TEST_CONFIG.read_text(encoding="utf-8"))
    settings = {
        "store.url": store_url,
        "channels.smtp_intake.port": 0,
        "channels.smtp_outbound.enabled": True,
        "channels.smtp_outbound.port": sink_port,
        "channels.smtp_outbound.backoff_seconds": 0.5,
        "channels.smtp_outbound.timeout_seconds": 5,
        "store.outbox_lease_seconds": 10,
        "store.takeover_seconds": 1,
        **overrides,
    }
    for dotted, value in settings.items():
        node = data
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node[key]
        node[leaf] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@dataclass
class WorkerProcess:
    """One `signpost run` subprocess; its log goes to a file, its SMTP port is read from the log."""

    config: Path
    home: Path
    name: str
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    port: int | None = None

    def start(self) -> WorkerProcess:
        self.home.mkdir(parents=True, exist_ok=True)
        self.log_path = self.home / f"{self.name}-{int(time.monotonic() * 1000)}.log"
        env = {**os.environ, "SIGNPOST_CONFIG": str(self.config), "PYTHONUNBUFFERED": "1"}
        env.pop("SIGNPOST_HOME", None)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run", "--config", str(self.config), "--home", str(self.home)],
                stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        self.port = None
        return self

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path else ""

    def wait_ready(self, timeout: float = 120.0) -> int:
        """Block until the log says the service runs; returns its SMTP intake port."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text_ = self.log()
            m = _PORT.search(text_)
            if m and "signpost running" in text_:
                self.port = int(m.group(1))
                return self.port
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.proc.returncode}:\n{text_[-4000:]}")
            time.sleep(0.1)
        raise AssertionError(f"{self.name} not up after {timeout}s:\n{self.log()[-4000:]}")

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, as a crash or an OOM kill."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self.port = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.port = None


_TOPICS = [
    ("Street lighting on {road}", "The street lights along {road} in {place} have been out for {n} nights and "
     "people feel uneasy walking home from the bus stop."),
    ("Speeding on {road}", "Cars race along {road} in {place} most evenings, well over the limit, and "
     "children cross there to get to school. Could the police do speed checks?"),
    ("Parking outside the school", "Parents park on the zigzag lines outside the school on {road} in {place} "
     "every morning around 8.{n}; it is only a matter of time before someone is hurt."),
    ("Fly-tipping behind the shops", "Someone keeps dumping mattresses and bags of rubbish behind the shops on "
     "{road}, {place}. This is the {n}th time this month."),
    ("Police and crime plan", "I read the commissioner's plan and want to ask how rural crime in {place} will "
     "be funded next year, given the closure of the station on {road}."),
    ("Noise from a pub car park", "Every weekend there is shouting in the car park of the pub on {road} in "
     "{place} until about {n}am. Who should I speak to about this?"),
]
_ROADS = ["Elm Road", "Station Road", "Mill Lane", "Church Street", "High Street", "Orchard Way", "Bridge Street"]
_PLACES = ["Kingsmere", "Netherby", "Otterford", "Penbridge", "Harlow Down"]


def citizen_mail(i: int, run: str) -> tuple[str, str, bytes]:
    """Message `i` of a run: (sender address, Message-ID, bytes); distinct senders, so each is acknowledged."""
    rnd = random.Random(f"{run}-{i}")
    subject, body = rnd.choice(_TOPICS)
    fill = {"road": rnd.choice(_ROADS), "place": rnd.choice(_PLACES), "n": rnd.randint(2, 9)}
    sender = f"resident{i}.{run}@example.org"
    msgid = f"<m{i}.{run}@example.org>"
    data = (f"From: Resident {i} <{sender}>\r\nTo: {OFFICE}\r\nSubject: {subject.format(**fill)}\r\n"
            f"Date: Tue, 02 Jun 2026 10:00:00 +0100\r\nMessage-ID: {msgid}\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{body.format(**fill)}\r\n\r\nRegards,\r\nResident {i}\r\n").encode()
    return sender, msgid, data


@dataclass
class Deliverer:
    """Sends messages over SMTP to whichever workers are up, round robin; a message refused or cut
    off is sent again to another, as any mail server would. `accepted_at[msgid]` is the 250's time."""

    workers: list[WorkerProcess]
    accepted_at: dict[str, float] = field(default_factory=dict)
    retries: int = 0
    _turn: int = 0

    def send(self, msgid: str, sender: str, data: bytes, give_up_after: float = 120.0) -> None:
        deadline = time.monotonic() + give_up_after
        while time.monotonic() < deadline:
            ports = [w.port for w in self.workers if w.port is not None]
            if not ports:
                time.sleep(0.1)
                continue
            port = ports[self._turn % len(ports)]
            self._turn += 1
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=30) as c:
                    c.sendmail(sender, [OFFICE], data)
                self.accepted_at[msgid] = time.monotonic()
                return
            except (OSError, smtplib.SMTPException):
                self.retries += 1
                time.sleep(0.05)
        raise AssertionError(f"{msgid}: no worker accepted it in {give_up_after}s")


def deliver_in_thread(deliverer: Deliverer, mails: list[tuple[str, str, bytes]], rate: float | None = None,
                      threads: int = 4) -> list[threading.Thread]:
    """Start `threads` senders over `mails` (offered at `rate` a second in all, or as fast as they go)."""
    start = time.monotonic()
    errors: list[BaseException] = []

    def run(k: int) -> None:
        try:
            for i in range(k, len(mails), threads):
                if rate:
                    wait = start + i / rate - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                sender, msgid, data = mails[i]
                deliverer.send(msgid, sender, data)
        except BaseException as exc:  # reported by the caller through `errors`
            errors.append(exc)

    out = [threading.Thread(target=run, args=(k,), daemon=True, name=f"deliver-{k}") for k in range(threads)]
    for t in out:
        t.errors = errors  # type: ignore[attr-defined]
        t.start()
    return out
