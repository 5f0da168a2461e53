"""The spool on disk: atomic private files keyed by Twilio's sids, counted without reading."""

from __future__ import annotations

import errno
import json
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from assistant.spool import NotSpoolable, Spool, keep_sms, keep_status, keep_voicemail
from assistant.spool.store import SMS, STALE_TMP

SMS_FORM = {
    "MessageSid": "SM" + "1" * 32,
    "From": "+15555550123",
    "To": "+15555550100",
    "Body": "I need to move my appointment, my knee still hurts",
    "NumMedia": "0",
    "AccountSid": "AC" + "a" * 32,  # not kept: the replay does not need it
}


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _keep(spool: Spool, form=SMS_FORM) -> bool:
    return keep_sms(spool, form, reply="Thanks", response="<Response/>", language="en")


def test_an_item_is_one_private_file_in_a_private_directory(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "var" / "spool")
    assert _keep(spool) is True
    [path] = spool.paths()
    assert _mode(spool.directory) == 0o700 and _mode(path) == 0o600
    assert path.name == f"sms-{SMS_FORM['MessageSid']}.json"
    raw = json.loads(path.read_text())
    assert raw["data"]["Body"] == SMS_FORM["Body"] and "AccountSid" not in raw["data"]
    assert raw["context"] == {"reply": "Thanks", "response": "<Response/>", "language": "en"}
    assert [p.name for p in spool.directory.iterdir()] == [path.name]  # no temporary left


def test_a_retry_of_the_same_request_keeps_nothing_new(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    assert _keep(spool) is True
    before = spool.paths()[0].read_bytes()
    assert _keep(spool, {**SMS_FORM, "Body": "changed"}) is False
    assert len(spool.paths()) == 1 and spool.paths()[0].read_bytes() == before


def test_a_directory_made_too_open_is_closed_again(tmp_path: Path) -> None:
    directory = tmp_path / "spool"
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    _keep(Spool(directory))
    assert _mode(directory) == 0o700


def test_a_full_disk_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    spool = Spool(tmp_path)

    def full(_fd, _data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError):
        _keep(spool)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_keys_become_safe_file_names(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    hostile = {**SMS_FORM, "MessageSid": "../../etc/passwd"}
    _keep(spool, hostile)
    [path] = spool.paths()
    assert path.parent == spool.directory and ".." not in path.name
    assert spool.load(path).key == "../../etc/passwd"


def test_each_kind_needs_its_sids(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    with pytest.raises(NotSpoolable):
        _keep(spool, {**SMS_FORM, "MessageSid": ""})
    with pytest.raises(NotSpoolable):
        keep_voicemail(spool, {"CallSid": "CA1"}, language="en")  # no recording
    with pytest.raises(NotSpoolable):
        keep_status(spool, {"MessageSid": "SM1"})  # no status
    call = {"CallSid": "CA1", "RecordingUrl": "https://api.twilio.com/rec/RE1"}
    assert keep_voicemail(spool, {**call, "RecordingSid": "RE1"}, language="es")
    assert keep_voicemail(spool, call, language="es")  # no RecordingSid: keyed by the URL
    assert not keep_voicemail(spool, call, language="es")
    assert keep_status(spool, {"MessageSid": "SM1", "MessageStatus": "delivered"})
    assert keep_status(spool, {"MessageSid": "SM1", "MessageStatus": "read"})
    assert sorted(p.name.split("-")[0] for p in spool.paths()) == [
        "status",
        "status",
        "voicemail",
        "voicemail",
    ]


def test_stats_count_and_age_without_reading_items(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "never-made")
    assert spool.is_empty() and spool.stats().count == 0 and spool.stats().oldest is None
    _keep(spool)
    old = spool.paths()[0]
    written = old.stat().st_mtime  # ages are the file system's clock: compare with it
    os.utime(old, (written - 3600, written - 3600))
    keep_status(spool, {"CallSid": "CA1", "CallStatus": "completed"})
    old.chmod(0o000)  # the count does not open the files
    stats = spool.stats()
    assert stats.count == 2
    assert 3590 < stats.oldest_age_seconds(_at(written)) < 3700


def test_malformed_items_are_reported_not_guessed(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    (tmp_path / "sms-bad.json").write_text("{not json")
    (tmp_path / "sms-old.json").write_text(json.dumps({"format": 99, "kind": SMS}))
    for path in spool.paths():
        with pytest.raises(ValueError):
            spool.load(path)


def test_temporaries_of_a_crashed_writer_are_removed_once_stale(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    fresh = tmp_path / ".sms-x.json.1.ab.tmp"
    stale = tmp_path / ".sms-y.json.1.cd.tmp"
    fresh.write_text("{}")
    stale.write_text("{}")
    written = fresh.stat().st_mtime  # the file system's clock, which the sweep compares with
    long_ago = written - STALE_TMP.total_seconds() - 60
    os.utime(stale, (long_ago, long_ago))
    assert spool.paths() == []  # never taken for items
    assert spool.remove_stale_temporaries(_at(written)) == 1
    assert fresh.exists() and not stale.exists()


def test_received_at_is_kept_in_utc(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    when = datetime(2026, 12, 2, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    spool.put(SMS, "SM9", SMS_FORM, received_at=when)
    assert spool.load(spool.paths()[0]).received_at == when
