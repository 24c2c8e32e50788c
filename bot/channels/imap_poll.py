"""IMAP channel: read the office inbox with imapclient (in threads), store each message, then mark it read."""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from dataclasses import dataclass
from datetime import UTC

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Config, Imap, secret
from bot.health import ChannelHealth
from bot.intake import Intake
from bot.log import redact
from bot.oauth import CachedToken, OAuth2Error, token_source
from store.models import ChannelState, Event, RawMessage

logger = logging.getLogger(__name__)

IDLE_MAX = 29 * 60  # RFC 2177: re-issue IDLE at least every 29 minutes
IDLE_SLICE = 0.5  # seconds per idle_check, so `stop` is noticed promptly
@dataclass
class _Session:
    """One logged-in connection with the folder selected."""

    client: IMAPClient
    uidvalidity: int
    has_idle: bool


class ImapPoller:
    """Polls (or IDLEs on) one IMAP folder and hands every message to `Intake.accept`.

    A message is marked \\Seen (or moved to `processed_folder`) only after `accept` has
    committed it, so a crash or a store failure leaves it unread and it is fetched again;
    `accept` is idempotent on ("imap", "uidvalidity:uid").
    """

    def __init__(
        self,
        cfg: Config,
        intake: Intake,
        sessions: sessionmaker[Session],
        *,
        backoff_initial: float = 2.0,
        backoff_max: float = 300.0,
        timeout: float = 60.0,
    ) -> None:
        self.cfg: Imap = cfg.channels.imap
        self.intake = intake
        self.sessions = sessions
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.timeout = timeout
        self._key = f"imap:{self.cfg.username}@{self.cfg.host}/{self.cfg.folder}"
        self._where = f"{redact(self.cfg.username)}@{self.cfg.host}/{self.cfg.folder}"
        o = self.cfg.oauth2
        self.token: CachedToken | None = (
            token_source(o, self.cfg.username, "imap") if self.cfg.auth == "oauth2" and o else None)
        self.health: ChannelHealth | None = None  # set by the composition root

    # ---- state (ChannelState rows) ----

    def _get_state(self, name: str) -> int | None:
        with self.sessions() as s:
            row = s.get(ChannelState, f"{self._key}:{name}")
            return int(row.value) if row else None

    def _set_state(self, s: Session, name: str, value: int) -> None:
        s.merge(ChannelState(key=f"{self._key}:{name}", value=str(value)))

    def last_uid(self) -> int:
        return self._get_state("last_uid") or 0

    def _check_uidvalidity(self, uidvalidity: int) -> None:
        """Reset the watermark when the folder was recreated (RFC 3501 2.3.1.1)."""
        known = self._get_state("uidvalidity")
        if known == uidvalidity:
            return
        with self.sessions() as s:
            if known is not None:
                logger.warning("imap %s: UIDVALIDITY changed %d -> %d; re-reading the folder "
                               "(Message-ID de-duplication avoids repeats)", self._where, known, uidvalidity)
                s.add(Event(at=self.intake.now(), actor="channel:imap", kind="imap_uidvalidity_changed",
                            detail={"folder": self.cfg.folder, "old": known, "new": uidvalidity}))
            self._set_state(s, "uidvalidity", uidvalidity)
            self._set_state(s, "last_uid", 0)
            s.commit()

    def _stored_ids(self, ids: list[str]) -> set[str]:
        with self.sessions() as s:
            return set(s.scalars(select(RawMessage.external_id).where(
                RawMessage.channel == "imap", RawMessage.external_id.in_(ids))))

    # ---- blocking IMAP work, always run through asyncio.to_thread ----

    def _connect(self) -> _Session:
        context = ssl.create_default_context(cafile=self.cfg.ca_file or None)
        implicit = self.cfg.tls == "implicit"
        client = IMAPClient(self.cfg.host, port=self.cfg.port, ssl=implicit,
                            ssl_context=context if implicit else None, timeout=self.timeout)
        try:
            if self.cfg.tls == "starttls":
                client.starttls(context)
            client.normalise_times = False  # keep INTERNALDATE's zone: aware datetimes
            self._login(client)
            pf = self.cfg.processed_folder
            if pf and not client.folder_exists(pf):
                client.create_folder(pf)
            info = client.select_folder(self.cfg.folder)
            has_idle = self.cfg.idle and b"IDLE" in client.capabilities()
        except BaseException:
            _close(client)
            raise
        return _Session(client, int(info[b"UIDVALIDITY"]), has_idle)

    def _pending(self, conn: _Session) -> list[int]:
        """UIDs above the watermark, plus unread ones below it that were never stored."""
        last = self.last_uid()
        # "n:*" always matches the highest UID, even when it is below n: filter.
        above = [u for u in conn.client.search(["UID", f"{last + 1}:*"]) if u > last]
        below = [u for u in conn.client.search(["UNSEEN"]) if u <= last]
        if below:
            stored = self._stored_ids([f"{conn.uidvalidity}:{u}" for u in below])
            below = [u for u in below if f"{conn.uidvalidity}:{u}" not in stored]
        return sorted(set(above) | set(below))

    def _store_one(self, conn: _Session, uid: int) -> bool:
        """Fetch, store (commit), then mark read or move; True when the message was new."""
        client = conn.client
        # BODY.PEEK[] rather than RFC822: fetching must not set \Seen before we have stored it.
        data = client.fetch([uid], ["BODY.PEEK[]", "INTERNALDATE"]).get(uid)
        created = False
        if data is not None:
            raw = data[b"BODY[]"]
            received = data.get(b"INTERNALDATE") or self.intake.now()
            if received.tzinfo is None:
                received = received.replace(tzinfo=UTC)
            created = self.intake.accept("imap", f"{conn.uidvalidity}:{uid}", raw, received).created
            client.add_flags([uid], [b"\\Seen"])
            if self.cfg.processed_folder:
                _move(client, uid, self.cfg.processed_folder)
        if uid > self.last_uid():
            with self.sessions() as s:
                self._set_state(s, "last_uid", uid)
                s.commit()
        return created

    # ---- async driver ----

    async def _batch(self, conn: _Session, stop: asyncio.Event) -> tuple[int, int]:
        """Store what is pending; returns (messages fetched, messages new to the store)."""
        await asyncio.to_thread(self._check_uidvalidity, conn.uidvalidity)
        uids = await asyncio.to_thread(self._pending, conn)
        stored = 0
        for uid in uids:
            if stop.is_set():
                break
            stored += await asyncio.to_thread(self._store_one, conn, uid)
        if uids:
            logger.info("imap %s: %d fetched, %d new", self._where, len(uids), stored)
        return len(uids), stored

    def _login(self, client: IMAPClient) -> None:
        """Password LOGIN, or XOAUTH2 with a cached token; a refused token is replaced once."""
        if self.token is None:
            client.login(self.cfg.username, self._password())
            return
        try:
            client.oauth2_login(self.token.user, self.token.token())
        except LoginError:
            # Revoked, or expired early: fetch a fresh token and try once more.
            logger.info("imap %s: access token refused; fetching a new one", self._where)
            self.token.invalidate()
            client.oauth2_login(self.token.user, self.token.token())

    async def poll_once(self) -> int:
        """Connect, store everything pending, disconnect; returns how many messages were new."""
        conn = await asyncio.to_thread(self._connect)
        try:
            return (await self._batch(conn, asyncio.Event()))[1]
        finally:
            await asyncio.to_thread(_close, conn.client)

    def _password(self) -> str:
        password = secret(self.cfg.password_env)
        if password is None:
            raise LoginError(f"environment variable {self.cfg.password_env} is empty")
        return password

    def _token_due(self) -> bool:
        left = self.token.seconds_to_refresh() if self.token is not None else None
        return left is not None and left <= 0

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set; connection and store errors are logged and retried with backoff."""
        if self.token is None and secret(self.cfg.password_env) is None:
            logger.error("imap %s: %s is empty; IMAP channel off", self._where, self.cfg.password_env)
            if self.health is not None:
                self.health.failure(f"{self.cfg.password_env} is empty")
            return
        delay = self.backoff_initial
        while not stop.is_set():
            conn: _Session | None = None
            relogin = False
            try:
                conn = await asyncio.to_thread(self._connect)
                logger.info("imap %s: connected (IDLE %s)", self._where, "on" if conn.has_idle else "off")
                while not stop.is_set():
                    fetched, _new = await self._batch(conn, stop)
                    delay = self.backoff_initial
                    if self.health is not None:
                        self.health.success()
                    # Mail that arrives during a batch is not announced by a later IDLE (Dovecot
                    # reports it at DONE), so only wait once a batch has found nothing.
                    if not fetched:
                        await self._wait(conn, stop)
                    if self._token_due():
                        # Log in again with a fresh token before the server drops us for an
                        # expired one; mail that arrives meanwhile is above the watermark.
                        relogin = True
                        break
            except (IMAPClientError, OSError, OAuth2Error) as exc:  # network, protocol, login: retry
                self._failed(exc)
                logger.warning("imap %s: %s: %s; retrying in %.0fs", self._where, type(exc).__name__,
                               redact(str(exc)), delay)
            except Exception as exc:  # a bug or a store failure: never take the service down
                self._failed(exc)
                logger.exception("imap %s: poll failed; retrying in %.0fs", self._where, delay)
            finally:
                if conn is not None:
                    await asyncio.to_thread(_close, conn.client)
            if relogin:
                logger.info("imap %s: access token due for refresh; logging in again", self._where)
            elif not stop.is_set():
                await _sleep(stop, delay)
                delay = min(delay * 2, self.backoff_max)
        logger.info("imap %s: stopped", self._where)

    def _failed(self, exc: BaseException) -> None:
        if self.health is not None:
            self.health.failure(f"{type(exc).__name__}: {redact(str(exc))}")

    async def _wait(self, conn: _Session, stop: asyncio.Event) -> None:
        """Wait for new mail: IDLE when offered, else sleep poll_seconds."""
        if not conn.has_idle:
            await _sleep(stop, self.cfg.poll_seconds)
            return
        client = conn.client
        await asyncio.to_thread(client.idle)
        try:
            wait = min(self.cfg.poll_seconds, IDLE_MAX)
            left = self.token.seconds_to_refresh() if self.token is not None else None
            if left is not None:
                wait = max(0.0, min(wait, left))  # wake in time to log in with a fresh token
            deadline = time.monotonic() + wait
            while not stop.is_set() and time.monotonic() < deadline:
                started = time.monotonic()
                if await asyncio.to_thread(client.idle_check, IDLE_SLICE):
                    break
                if time.monotonic() - started < IDLE_SLICE / 2:
                    break  # returned early with nothing: the server closed the socket; idle_done will say
        finally:
            await asyncio.to_thread(client.idle_done)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass


def _move(client: IMAPClient, uid: int, folder: str) -> None:
    if b"MOVE" in client.capabilities():
        client.move([uid], folder)
    else:
        client.copy([uid], folder)
        client.delete_messages([uid])
        # Without UIDPLUS an EXPUNGE would also remove mail staff flagged \Deleted: leave it flagged.
        if b"UIDPLUS" in client.capabilities():
            client.uid_expunge([uid])


def _close(client: IMAPClient) -> None:
    """Log out, or just drop the socket when the connection is already broken."""
    try:
        client.logout()
    except (IMAPClientError, OSError):
        try:
            client.shutdown()
        except (IMAPClientError, OSError):
            pass
