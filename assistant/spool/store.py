"""The spool on disk: one JSON file per Twilio request, written so that it survives a crash.

A file is written to a temporary name in the spool directory (mode 0600, created exclusively),
fsynced, renamed over its final name (`os.replace`, atomic) and the directory fsynced, so a
reader sees a whole item or none. The directory is 0700: an item holds a patient's words and
number. The final name comes from Twilio's sids (MessageSid; CallSid + RecordingSid; sid +
status), so Twilio retrying a request, or replaying it, finds the item already there and
nothing new is written.

Nothing here logs an item's content; file names carry sids only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1
SMS, VOICEMAIL, STATUS = "sms", "voicemail", "status"
KINDS = (SMS, VOICEMAIL, STATUS)
# What each kind keeps of Twilio's form: what the replay needs, nothing more.
FIELDS = {
    SMS: ("MessageSid", "SmsSid", "From", "To", "Body", "NumMedia"),
    VOICEMAIL: ("CallSid", "From", "To", "RecordingUrl", "RecordingSid", "RecordingDuration"),
    STATUS: ("MessageSid", "CallSid", "MessageStatus", "CallStatus", "ErrorCode", "AnsweredBy"),
}
DIR_MODE = 0o700
FILE_MODE = 0o600
SUFFIX = ".json"
TMP_SUFFIX = ".tmp"
STALE_TMP = timedelta(minutes=10)  # a temporary file this old was left by a crashed writer
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,120}$")


class NotSpoolable(ValueError):
    """The request lacks what would identify it (a sid) or what is worth keeping."""


@dataclass(frozen=True)
class SpoolItem:
    kind: str
    key: str  # Twilio's sid(s): the item's identity
    received_at: datetime
    data: dict[str, str]  # Twilio's form fields (FIELDS[kind])
    context: dict[str, Any] = field(default_factory=dict)  # what the edge knew and answered
    path: Path | None = None


@dataclass(frozen=True)
class SpoolStats:
    count: int
    oldest: datetime | None  # when the oldest waiting item was written

    def oldest_age_seconds(self, now: datetime | None = None) -> float | None:
        if self.oldest is None:
            return None
        return max(0.0, ((now or _now()) - self.oldest).total_seconds())


def _now() -> datetime:
    return datetime.now(timezone.utc)


def recording_id(form: Mapping[str, str]) -> str:
    """A recording's identity: its RecordingSid, else a digest of its URL."""
    sid = (form.get("RecordingSid") or "").strip()
    if sid:
        return sid
    url = form.get("RecordingUrl") or ""
    return "url-" + hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def status_of(form: Mapping[str, str]) -> str:
    return form.get("CallStatus") or form.get("MessageStatus") or ""


class Spool:
    """The spool directory. Reading an empty or missing directory costs one `scandir`."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    # --- writing ----------------------------------------------------------------------------

    def file_for(self, kind: str, key: str) -> Path:
        if kind not in KINDS:
            raise ValueError(f"unknown spool kind {kind!r}")
        name = key if _SAFE_NAME.match(key) else hashlib.sha256(key.encode()).hexdigest()[:48]
        return self.directory / f"{kind}-{name}{SUFFIX}"

    def _ensure_directory(self) -> None:
        self.directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        if stat.S_IMODE(self.directory.stat().st_mode) != DIR_MODE:
            os.chmod(self.directory, DIR_MODE)  # made by someone else, or under a lax umask

    def put(
        self,
        kind: str,
        key: str,
        data: Mapping[str, str],
        *,
        context: Mapping[str, Any] | None = None,
        received_at: datetime | None = None,
    ) -> bool:
        """Keep one request. False: an item with this key is already waiting (a retry).
        Raises OSError when it cannot be written (disk full, read-only, permissions); then
        nothing is left behind."""
        path = self.file_for(kind, key)
        if path.exists():
            return False
        self._ensure_directory()
        item = {
            "format": FORMAT,
            "kind": kind,
            "key": key,
            "received_at": (received_at or _now()).isoformat(),
            "data": {name: str(data[name]) for name in FIELDS[kind] if data.get(name) is not None},
            "context": dict(context or {}),
        }
        payload = json.dumps(item, sort_keys=True).encode("ascii")  # \u-escaped: any text
        tmp = self.directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        try:
            try:
                os.fchmod(fd, FILE_MODE)  # whatever the umask
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        self._sync_directory()
        return True

    def _sync_directory(self) -> None:
        """Make the rename (or removal) itself durable."""
        with contextlib.suppress(OSError):  # not every file system lets a directory be fsynced
            fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    # --- reading ----------------------------------------------------------------------------

    def _entries(self) -> Iterator[os.DirEntry]:
        try:
            with os.scandir(self.directory) as entries:
                for entry in entries:
                    if entry.name.endswith(SUFFIX) and not entry.name.startswith("."):
                        yield entry
        except FileNotFoundError:
            return

    def paths(self) -> list[Path]:
        return sorted(Path(entry.path) for entry in self._entries())

    def is_empty(self) -> bool:
        return next(self._entries(), None) is None

    def load(self, path: Path) -> SpoolItem:
        """One item; ValueError when the file is not an item this code can replay."""
        try:
            raw = json.loads(path.read_bytes())
            if raw.get("format") != FORMAT or raw.get("kind") not in KINDS:
                raise ValueError("unknown spool item format or kind")
            received_at = datetime.fromisoformat(raw["received_at"])
            if received_at.tzinfo is None:
                raise ValueError("received_at without a time zone")
            return SpoolItem(
                kind=raw["kind"],
                key=str(raw["key"]),
                received_at=received_at,
                data={str(k): str(v) for k, v in dict(raw["data"]).items()},
                context=dict(raw.get("context") or {}),
                path=path,
            )
        except (KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
            raise ValueError(f"malformed spool item: {type(error).__name__}") from None

    def stats(self) -> SpoolStats:
        """Count and age of what waits, from the directory alone (no item is read)."""
        count, oldest = 0, None
        for entry in self._entries():
            try:
                mtime = entry.stat().st_mtime
            except FileNotFoundError:  # replayed meanwhile
                continue
            count += 1
            oldest = mtime if oldest is None else min(oldest, mtime)
        when = datetime.fromtimestamp(oldest, timezone.utc) if oldest is not None else None
        return SpoolStats(count, when)

    # --- after a replay -----------------------------------------------------------------------

    def remove(self, item: SpoolItem) -> None:
        if item.path is None:
            return
        with contextlib.suppress(FileNotFoundError):  # another replayer was first
            item.path.unlink()
        self._sync_directory()

    def remove_stale_temporaries(self, now: datetime | None = None) -> int:
        """Temporary files of writers that crashed before their rename (they hold PHI)."""
        cutoff = ((now or _now()) - STALE_TMP).timestamp()
        removed = 0
        try:
            with os.scandir(self.directory) as entries:
                for entry in entries:
                    if entry.name.startswith(".") and entry.name.endswith(TMP_SUFFIX):
                        with contextlib.suppress(FileNotFoundError):
                            if entry.stat().st_mtime < cutoff:
                                os.unlink(entry.path)
                                removed += 1
        except FileNotFoundError:
            pass
        return removed


# --- what the edge keeps ------------------------------------------------------------------------


def keep_sms(
    spool: Spool,
    form: Mapping[str, str],
    *,
    reply: str | None,
    response: str,
    language: str,
    keyword: str | None = None,
    conversation_uid: str | None = None,
) -> bool:
    """An inbound text. `reply` / `response`: what the texter was answered (text, TwiML), to be
    recorded and replayed to a Twilio retry; `keyword`: the carrier keyword it was taken for
    (stop / start), applied on replay; `conversation_uid`: the conversation that already
    holds its turn, when the database went away half-way through the normal path."""
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    if not sid or not form.get("From"):
        raise NotSpoolable("MessageSid and From are required")
    context: dict[str, Any] = {"reply": reply, "response": response, "language": language}
    if keyword:
        context["keyword"] = keyword
    if conversation_uid:
        context["conversation_uid"] = conversation_uid
    return spool.put(SMS, sid, form, context=context)


def keep_voicemail(spool: Spool, form: Mapping[str, str], *, language: str) -> bool:
    """A recorded message (its URL at Twilio, never the audio)."""
    call_sid = form.get("CallSid") or ""
    if not call_sid or not form.get("RecordingUrl"):
        raise NotSpoolable("CallSid and RecordingUrl are required")
    return spool.put(
        VOICEMAIL, f"{call_sid}-{recording_id(form)}", form, context={"language": language}
    )


def keep_status(spool: Spool, form: Mapping[str, str]) -> bool:
    """A call or message status callback."""
    sid = form.get("MessageSid") or form.get("CallSid") or ""
    status = status_of(form)
    if not sid or not status:
        raise NotSpoolable("a sid and a status are required")
    return spool.put(STATUS, f"{sid}-{status}", form)
