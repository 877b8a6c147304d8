"""Fault injection for the emulator: throttling, outages, slow answers, resets, token expiry.

Faults come from a spec string (``olk-tui emulator --faults SPEC``, the environment variable
``OLK_TUI_EMULATOR_FAULTS``, or ``emu.faults.load_spec(SPEC)``) or from the Python API
(``emu.faults.add(...)``). They are deterministic: one seeded random generator per injector,
drawn once per matching request, in request order.

Spec grammar::

    SPEC   := ITEM ("," ITEM)*
    ITEM   := "seed=" INT | RULE
    RULE   := KIND ["(" ARG ")"] ["@" TARGET] [":" WHEN]
    KIND   := "429" | "503" | "504" | "401" | "slow" | "reset"
    ARG    := 429, 503: the Retry-After value in seconds (fractional allowed, e.g. 2.128),
                        or "none" to send no Retry-After (429 defaults to 1, 503 to none)
              504:      "after" (default: the request is carried out, then the gateway answers
                        504, as a timed-out sendMail that was still sent) or "before"
              slow:     the delay in seconds (default 2)
    TARGET := [METHOD " " | METHOD "="] (GLOB | "~" REGEX)
              GLOB is matched (fnmatch, case-insensitive) against the path after the version,
              e.g. /me/sendMail or /me/messages/*/send; /users/{x}/... paths also match the
              same rule written with /me/... . REGEX is searched in that path. Without a
              TARGET a rule hits Graph requests only; sign-in (/{tenant}/oauth2/...) and
              upload URLs (/upload/...) are matched on their full path by explicit targets.
    WHEN   := P        probability 0 < P <= 1 for each matching request (default: 1, always)
            | N "x"    the next N matching requests, then never again
            | K "+" N "x"   let K matching requests through, then fail the next N

Examples: ``429:0.2`` (a fifth of all requests throttled), ``503@/me/sendMail:1x``,
``seed=7,429(2.128)@GET ~/messages:0.5,slow(0.5)@/me/mailFolders:2x``,
``504@POST /me/sendMail:1x`` (the mail is sent, the client sees 504), ``reset:1+1x``,
``401:1x`` (one "Access token has expired or is not yet valid."). Commas separate items, so a
regex target cannot contain one.
"""

from __future__ import annotations

import fnmatch
import random
import re
import threading
from dataclasses import dataclass, field

KINDS = ("429", "503", "504", "401", "slow", "reset")
_RULE_RE = re.compile(
    r"^(?P<kind>429|503|504|401|slow|reset)(?:\((?P<arg>[^)]*)\))?"
    r"(?:@(?P<target>.+?))?(?::(?P<when>[0-9.]+|\d+x|\d+\+\d+x|always))?$",
    re.IGNORECASE,
)
_METHOD_RE = re.compile(r"^(GET|POST|PATCH|PUT|DELETE|HEAD|OPTIONS)[ =]", re.IGNORECASE)
_USERS_RE = re.compile(r"^/users/[^/]+", re.IGNORECASE)


class FaultSpecError(ValueError):
    """A fault spec that does not follow the grammar (the message names the bad item)."""


@dataclass
class FaultRule:
    """One rule: what to inject, where, and when."""

    kind: str
    method: str | None = None
    glob: str | None = None
    regex: re.Pattern[str] | None = None
    probability: float = 1.0
    times: int | None = None
    skip: int = 0
    retry_after: str | None = None
    delay: float = 2.0
    after: bool = True
    matched: int = 0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        """Whether the rule targets ``method`` on ``path``."""
        if self.method and self.method != method.upper():
            return False
        alt = _USERS_RE.sub("/me", path)
        if self.glob is not None:
            g = self.glob.lower()
            return fnmatch.fnmatchcase(path.lower(), g) or fnmatch.fnmatchcase(alt.lower(), g)
        if self.regex is not None:
            return bool(self.regex.search(path) or self.regex.search(alt))
        return True


@dataclass
class FaultAction:
    """What the emulator must do to one request."""

    kind: str
    retry_after: str | None = None
    delay: float = 0.0
    after: bool = False


@dataclass
class FaultInjector:
    """Holds fault rules and decides, per request, which (if any) fires."""

    seed: int = 0
    rules: list[FaultRule] = field(default_factory=list)
    log: list[tuple[str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def reseed(self, seed: int) -> None:
        """Restart the random sequence from ``seed``."""
        self.seed = seed
        self._rng = random.Random(seed)

    def clear(self) -> None:
        """Remove every rule (the log is kept)."""
        self.rules.clear()

    def add(self, kind: str, *, path: str | None = None, method: str | None = None,
            regex: str | None = None, probability: float = 1.0, times: int | None = None,
            skip: int = 0, retry_after: float | str | None = "default", delay: float = 2.0,
            after: bool = True) -> FaultRule:
        """Add a rule.

        Args:
            kind: one of ``429 503 504 401 slow reset``.
            path: a glob on the path after the version (``/me/sendMail``).
            method: only this HTTP method.
            regex: a regex searched in the path (instead of ``path``).
            probability: chance per matching request (after ``skip``).
            times: fire at most this many times.
            skip: let this many matching requests through first.
            retry_after: Retry-After for 429/503 (seconds); ``None`` sends none.
            delay: seconds for ``slow``.
            after: for 504, carry the request out before answering 504.
        """
        kind = kind.lower()
        if kind not in KINDS:
            raise FaultSpecError(f"unknown fault kind {kind!r}; use one of {', '.join(KINDS)}")
        if not 0.0 < probability <= 1.0:
            raise FaultSpecError(f"probability must be in (0, 1], got {probability}")
        if retry_after == "default":
            retry_after = "1" if kind == "429" else None
        rule = FaultRule(
            kind=kind, method=method.upper() if method else None, glob=path,
            regex=re.compile(regex) if regex else None, probability=probability, times=times,
            skip=skip, retry_after=None if retry_after is None else _fmt(retry_after),
            delay=delay, after=after)
        self.rules.append(rule)
        return rule

    def load_spec(self, spec: str) -> None:
        """Add the rules of a spec string (see the module docstring); raises FaultSpecError."""
        for raw in _split_items(spec):
            item = raw.strip()
            if not item:
                continue
            if item.lower().startswith("seed="):
                try:
                    self.reseed(int(item[5:]))
                except ValueError:
                    raise FaultSpecError(f"bad seed in {item!r}") from None
                continue
            self._add_item(item)

    def _add_item(self, item: str) -> None:
        m = _RULE_RE.match(item)
        if not m:
            raise FaultSpecError(
                f"cannot read fault {item!r} (expected KIND[(ARG)][@TARGET][:WHEN])")
        kind = m["kind"].lower()
        kwargs: dict[str, object] = {}
        arg = (m["arg"] or "").strip()
        if arg:
            if kind in ("429", "503"):
                kwargs["retry_after"] = None if arg.lower() == "none" else _float(arg, item)
            elif kind == "slow":
                kwargs["delay"] = _float(arg, item)
            elif kind == "504" and arg.lower() in ("after", "before"):
                kwargs["after"] = arg.lower() == "after"
            else:
                raise FaultSpecError(f"{kind} takes no argument {arg!r} in {item!r}")
        target = m["target"]
        if target:
            mm = _METHOD_RE.match(target)
            if mm:
                kwargs["method"] = mm.group(1)
                target = target[mm.end():]
            if target.startswith("~"):
                try:
                    re.compile(target[1:])
                except re.error as exc:
                    raise FaultSpecError(f"bad regex in {item!r}: {exc}") from None
                kwargs["regex"] = target[1:]
            elif target:
                kwargs["path"] = target
        when = (m["when"] or "always").lower()
        if when.endswith("x"):
            skip, _, n = when[:-1].rpartition("+")
            kwargs["times"] = int(n)
            kwargs["skip"] = int(skip or 0)
        elif when != "always":
            kwargs["probability"] = _float(when, item)
        self.add(kind, **kwargs)  # type: ignore[arg-type]

    def decide(self, method: str, path: str, *, graph: bool = True) -> FaultAction | None:
        """The fault for this request, if any rule fires (first firing rule wins).

        Rules without a target apply to Graph requests only; sign-in and upload URLs are hit
        only by rules that name them (e.g. ``503@/*/oauth2/v2.0/token``)."""
        with self._lock:
            for rule in self.rules:
                if not graph and rule.glob is None and rule.regex is None:
                    continue
                if not rule.matches(method, path):
                    continue
                rule.matched += 1
                if rule.matched <= rule.skip:
                    continue
                if rule.times is not None and rule.fired >= rule.times:
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                self.log.append((rule.kind, method, path))
                return FaultAction(kind=rule.kind, retry_after=rule.retry_after,
                                   delay=rule.delay if rule.kind == "slow" else 0.0,
                                   after=rule.after and rule.kind == "504")
        return None


def _float(text: str, item: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise FaultSpecError(f"expected a number, got {text!r} in {item!r}") from None


def _fmt(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _split_items(spec: str) -> list[str]:
    items, depth, cur = [], 0, []
    for ch in spec:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur))
    return items
