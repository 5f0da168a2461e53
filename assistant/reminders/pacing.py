"""Sending rate: at most `rate` messages per second, however many workers send.

A pacer hands out send times spaced `1 / rate` seconds apart; `wait()` sleeps until the one it
got. `LocalPacer` paces the threads of one process (the embedded worker); `RedisPacer` keeps the
next free time in Redis (one atomic script, Redis's own clock), so every Celery worker on every
host shares one rate. A rate of 0 means no limit (Twilio then queues what its sender cannot take
at once). A US long code sends about 1 message per second; a Messaging Service pools senders.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class Pacer(Protocol):
    def wait(self) -> float:
        """Block until this caller may send one message; returns the seconds waited."""


class Unpaced:
    def wait(self) -> float:
        return 0.0


class LocalPacer:
    """Paces the threads of this process."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> float:
        with self._lock:
            now = self._clock()
            at = max(now, self._next)
            self._next = at + self.interval
        delay = at - now
        if delay > 0:
            self._sleep(delay)
        return delay


# KEYS[1]: the next free send time; ARGV[1]: seconds between sends. Returns the delay (string:
# Lua numbers become integers on the way out).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local ttl = math.ceil((at + interval - now) * 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.6f', at + interval), 'PX', ttl)
return string.format('%.6f', at - now)
"""


class RedisPacer:
    """Paces every process that uses the same Redis key."""

    def __init__(
        self,
        redis_client,
        rate: float,
        *,
        key: str = "reminders:pacer:next",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self._reserve = redis_client.register_script(_RESERVE)
        self._key, self._sleep = key, sleep

    def wait(self) -> float:
        delay = float(self._reserve(keys=[self._key], args=[repr(self.interval)]))
        if delay > 0:
            self._sleep(delay)
        return delay


def local(rate: float) -> Pacer:
    return LocalPacer(rate) if rate > 0 else Unpaced()


def shared(redis_url: str, rate: float) -> Pacer:
    if rate <= 0:
        return Unpaced()
    import redis

    return RedisPacer(redis.Redis.from_url(redis_url), rate)
