"""A real Dovecot IMAP server on 127.0.0.1 for tests, run from a throwaway configuration."""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

DOVECOT = os.environ.get("SIGNPOST_DOVECOT") or shutil.which("dovecot") or "/usr/sbin/dovecot"
INSTALL_HINT = "apt-get install -y dovecot-imapd"
POOL = 100  # users created at start; more are added slowly (see add_user)

# Dovecot's oauth2 passdb (XOAUTH2, OAUTHBEARER) asks an RFC 7662 introspection endpoint about
# each token and checks its `username` against the login name.
OAUTH2_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
"""
OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {url}
username_attribute = username
active_attribute = active
active_value = true
"""
TLS = """\
ssl = yes
ssl_cert = <{root}/tls-cert.pem
ssl_key = <{root}/tls-key.pem
"""

CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
{ssl}
# Loopback only, so plaintext logins are fine.
disable_plaintext_auth = no
auth_mechanisms = plain login{oauth2_mechanisms}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{mail}/%u
mail_fsync = never
{oauth2_passdb}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={mail}/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass(frozen=True)
class Mailbox:
    """One Dovecot user: log in, deliver by APPEND, inspect flags."""

    host: str
    port: int
    username: str
    password: str

    def client(self) -> IMAPClient:
        c = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        c.login(self.username, self.password)
        return c

    def deliver(self, raw: bytes, folder: str = "INBOX", flags: tuple[bytes, ...] = ()) -> int:
        """APPEND one message; returns its UID (Dovecot answers with APPENDUID)."""
        with self.client() as c:
            if not c.folder_exists(folder):
                c.create_folder(folder)
            resp = c.append(folder, raw, flags=flags)
        m = re.search(rb"APPENDUID \d+ (\d+)", resp)
        assert m, resp
        return int(m.group(1))

    def flags(self, folder: str = "INBOX") -> dict[int, set[bytes]]:
        """UID -> flags of every message in the folder."""
        with self.client() as c:
            c.select_folder(folder, readonly=True)
            uids = c.search("ALL")
            return {uid: set(d[b"FLAGS"]) for uid, d in c.fetch(uids, ["FLAGS"]).items()} if uids else {}

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.client() as c:
            return int(c.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def recreate(self, folder: str) -> None:
        """Delete and create a folder again: Dovecot gives it a new UIDVALIDITY."""
        with self.client() as c:
            c.delete_folder(folder)
            c.create_folder(folder)


class DovecotServer:
    """`dovecot -F -c <root>/dovecot.conf` as a child process; users in a passwd-file.

    Args:
        root: a scratch directory.
        oauth2_introspection_url: also accept XOAUTH2/OAUTHBEARER, checking tokens there.
        tls: a throwaway CA (trustme): serve IMAPS on `imaps_port` and STARTTLS on `port`.
    """

    def __init__(self, root: Path, *, oauth2_introspection_url: str | None = None, tls: Any = None) -> None:
        if not os.access(DOVECOT, os.X_OK):
            raise RuntimeError(f"Dovecot not found at {DOVECOT}: install it with `{INSTALL_HINT}`")
        self.root = root
        self.host = "127.0.0.1"
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._private_root = False
        self._pool: list[str] = []
        self.mail = root / "mail"
        self.oauth2_url = oauth2_introspection_url
        self.tls = tls
        self.imaps_port = 0

    def _users(self) -> tuple[str, str, str, int, int]:
        """(internal user, internal group, login user, mail uid, mail gid) that Dovecot accepts."""
        if os.getuid() != 0:
            me = pwd.getpwuid(os.getuid())
            return me.pw_name, _group_name(me.pw_gid), me.pw_name, me.pw_uid, me.pw_gid
        # As root: Dovecot refuses root for logins and mail, so it uses its own system users, and
        # those cannot enter pytest's 0700 tmp dirs: run from a private dir they can reach.
        internal = _first_user("dovecot", "nobody")
        login = _first_user("dovenull", "nobody")
        self.root = Path(tempfile.mkdtemp(prefix="signpost-dovecot-"))
        self.root.chmod(0o755)
        self.mail = self.root / "mail"
        self.mail.mkdir()
        os.chown(self.mail, internal.pw_uid, internal.pw_gid)
        self._private_root = True
        return internal.pw_name, _group_name(internal.pw_gid), login.pw_name, internal.pw_uid, internal.pw_gid

    def start(self, timeout: float = 10.0) -> None:
        internal, group, login, uid, gid = self._users()
        for d in ("run", "state", "mail"):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        (self.root / "passwd").write_text("")
        # Users made up front: Dovecot may not see a passwd-file line added in the same second.
        self._pool = self._write_users([f"office-{i:03d}" for i in range(POOL, 0, -1)])
        self.probe = self.mailbox(self._write_users(["probe"])[0])
        if self.oauth2_url:
            (self.root / "oauth2.conf.ext").write_text(OAUTH2_CONF.format(url=self.oauth2_url))
        if self.tls is not None:
            cert = self.tls.issue_cert("127.0.0.1", "localhost")
            cert.private_key_pem.write_to_path(str(self.root / "tls-key.pem"))
            cert.cert_chain_pems[0].write_to_path(str(self.root / "tls-cert.pem"))
        for _attempt in range(3):  # the free port can be taken between probe and bind: try another
            self.port = free_port()
            self.imaps_port = free_port() if self.tls is not None else 0
            conf = CONF.format(root=self.root, mail=self.mail, port=self.port, internal_user=internal,
                               internal_group=group, login_user=login, uid=uid, gid=gid,
                               imaps_port=self.imaps_port, ssl=TLS.format(root=self.root) if self.tls else "ssl = no",
                               oauth2_mechanisms=" xoauth2 oauthbearer" if self.oauth2_url else "",
                               oauth2_passdb=OAUTH2_PASSDB.format(root=self.root) if self.oauth2_url else "")
            (self.root / "dovecot.conf").write_text(conf)
            self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if self._wait_ready(timeout):
                return
            died = self.proc.poll() is not None
            log = self.log()
            self.stop()
            if not died:
                break
        raise RuntimeError(f"Dovecot did not accept a login on 127.0.0.1:{self.port}; log:\n{log}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        assert self.proc is not None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                self.mailbox(self.probe.username).client().logout()
                return True
            except (OSError, IMAPClientError):
                time.sleep(0.1)
        return False

    def log(self) -> str:
        out = b""
        if self.proc is not None and self.proc.stdout is not None and self.proc.poll() is not None:
            out = self.proc.stdout.read() or b""
        path = self.root / "dovecot.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return out.decode(errors="replace") + text

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        self.proc = None

    def close(self) -> None:
        self.stop()
        if self._private_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def mailbox(self, username: str) -> Mailbox:
        return Mailbox(self.host, self.port, username, f"pw-{username}")

    def add_user(self, prefix: str = "office") -> Mailbox:
        """A fresh user with an empty maildir."""
        if self._pool:
            return self.mailbox(self._pool.pop())
        # Dovecot re-reads a changed passwd-file at most once a second: wait that out.
        name = self._write_users([f"{prefix}-{uuid.uuid4().hex[:8]}"])[0]
        time.sleep(1.1)
        return self.mailbox(name)

    def _write_users(self, names: list[str]) -> list[str]:
        with (self.root / "passwd").open("a") as f:
            f.writelines(f"{n}:{{PLAIN}}pw-{n}\n" for n in names)
        return names

    def remove_user(self, box: Mailbox) -> None:
        shutil.rmtree(self.mail / box.username, ignore_errors=True)

    def kick(self, box: Mailbox) -> None:
        """Drop the user's connections (`doveadm kick`), as a server restart would."""
        doveadm = shutil.which("doveadm") or "/usr/bin/doveadm"
        subprocess.run([doveadm, "-c", str(self.root / "dovecot.conf"), "kick", box.username],
                       check=True, capture_output=True, timeout=10)


def _first_user(*names: str) -> pwd.struct_passwd:
    for n in names:
        try:
            return pwd.getpwnam(n)
        except KeyError:
            continue
    raise RuntimeError(f"none of the users {names} exist")


def _group_name(gid: int) -> str:
    return grp.getgrgid(gid).gr_name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def running(root: Path, **options: Any) -> Iterator[DovecotServer]:
    """A started DovecotServer for a fixture to yield; the test fails (never skips) without Dovecot."""
    import pytest

    try:
        server = DovecotServer(root, **options)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)  # names DOVECOT and `apt-get install -y dovecot-imapd`
    try:
        server.start()
        yield server
    finally:
        server.close()
