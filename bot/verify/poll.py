"""Poll until something shows up or the deadline passes."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.stack.http import Deadline

LAST_LOOK = 1.0  # seconds: the last look starts at least this long before the deadline


def poll(deadline: Deadline, look: Callable[[], bool], interval: float) -> tuple[bool, float]:
    """Call `look` until it answers True or the deadline nears: (found, seconds waited).
    A StackError from `look` (401, refused) ends the poll: waiting would not change it."""
    started = time.monotonic()
    while True:
        if look():
            return True, time.monotonic() - started
        if deadline.remaining() < 2 * LAST_LOOK:
            return False, time.monotonic() - started
        deadline.sleep(min(interval, deadline.remaining() - LAST_LOOK))
        interval = min(interval * 1.5, 10.0)
