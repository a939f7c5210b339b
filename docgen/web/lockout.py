"""Wrong access codes: one count per client for every way a code is presented.

The login form, ``?code=`` in an address, the ``X-Access-Code`` header and
``Authorization: Bearer`` all go through :class:`Lockout`; so a script
guessing through a header meets the same limit as a person at the form. An
8-digit code falls in hours at thousands of guesses a second, and never at
ten a minute followed by a five-minute wait.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

MAX_FAILURES = 10  # wrong codes per client within WINDOW_S before it is locked out
WINDOW_S = 60.0
LOCKOUT_S = 300.0  # how long a client that reached the limit is refused, whatever it sends
# Every client together: an attacker with many addresses is slowed down as well.
MAX_FAILURES_ALL = 100


class Lockout:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._all: list[float] = []
        self._lock = threading.Lock()  # the login route runs in a worker thread

    def locked(self, client: str) -> bool:
        """True while ``client`` (or everyone, after too many failures overall) must wait."""
        now = self._clock()
        with self._lock:
            self._all = [t for t in self._all if now - t < WINDOW_S]
            if len(self._all) >= MAX_FAILURES_ALL:
                return True
            return self._locked_until.get(client, 0.0) > now

    def failed(self, client: str) -> bool:
        """Record a wrong code; True when ``client`` is now locked out."""
        now = self._clock()
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < WINDOW_S]
            recent.append(now)
            self._failures[client] = recent
            self._all.append(now)
            if len(recent) >= MAX_FAILURES:
                self._locked_until[client] = now + LOCKOUT_S
                self._failures[client] = []
                return True
            return False

    def wait_message(self) -> str:
        return f"访问码错误次数过多，已暂停登录；请 {int(LOCKOUT_S // 60)} 分钟后再试"
