"""Retry policy for the request choke point: Retry-After parsing and backoff with jitter.

Graph sends ``Retry-After`` as (fractional) seconds, e.g. ``2.128``; HTTP also allows an
HTTP-date. Missing, garbage or negative values fall back to exponential backoff with jitter;
absurd values are capped, and a total wait budget bounds how long one call may wait.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

#: Statuses that are retried (the request was not carried out, or was idempotent).
RETRY_STATUSES = frozenset({429, 503, 504})


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait according to a Retry-After value, or None when it is unusable.

    Args:
        value: the header value: seconds (``"2.128"``) or an HTTP-date.
        now: the current time for HTTP-dates (default: the system clock, UTC).
    """
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
        return max(0.0, seconds)
    if math.isnan(seconds) or math.isinf(seconds) or seconds < 0:
        return None
    return seconds


@dataclass(frozen=True)
class RetryPolicy:
    """How the choke point retries.

    Attributes:
        max_attempts: attempts in all (the first try included).
        base_delay: first backoff delay in seconds when there is no usable Retry-After.
        max_delay: cap of one backoff delay.
        max_retry_after: the longest Retry-After one call waits out itself. A longer but
            plausible one (up to ``max_plausible_retry_after``, e.g. the 600 s of Outlook's
            10-minute budget) is not cut short, since retrying early still counts against the
            mailbox's budget (FACTS #18): ``Throttled`` is raised at once with its
            ``retry_after`` for the operation queue or the sync loop to reschedule.
        max_plausible_retry_after: beyond this a Retry-After is treated as garbage (a server
            bug) and cut to ``max_retry_after``, as absurd values are.
        max_total_wait: the most one call waits in all; beyond it ``Throttled`` is raised.
    """

    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0
    max_plausible_retry_after: float = 3600.0
    max_total_wait: float = 180.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for retry number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** max(0, attempt - 1)))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """The wait before retry ``attempt``: Retry-After (absurd ones cut), or backoff."""
        if retry_after is not None:
            if retry_after > self.max_plausible_retry_after:
                return self.max_retry_after
            return retry_after
        return self.backoff(attempt)

    def gives_up(self, attempt: int, waited: float, wait: float) -> bool:
        """Whether to stop instead of waiting ``wait`` more seconds before retrying."""
        return (attempt >= self.max_attempts or wait > self.max_retry_after
                or waited + wait > self.max_total_wait)
