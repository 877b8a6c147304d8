"""``$search`` on messages: the KQL subset Outlook clients use.

Terms are ANDed; ``OR`` between two terms joins them. Property terms: ``from:``, ``to:``,
``cc:``, ``participants:``, ``subject:``, ``body:``, ``attachment:``, ``hasAttachments:``
(true/false), ``importance:``, ``category:``, ``received:`` and ``sent:`` (``2024-05-01``,
``>=2024-05-01``, ``<2024-05-01``, ``2024-05-01..2024-06-01``). Bare words and "quoted phrases"
match the subject, body, preview and sender. Matching is case-insensitive substring matching.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from olk_tui.emulator.router import GraphError

Predicate = Callable[[dict[str, Any]], bool]
#: The searched mailbox's attachment store (message id -> attachment id -> resource), set by
#: the caller around a search so ``attachment:`` can see file names.
ATTACHMENTS: ContextVar[dict[str, dict[str, dict[str, Any]]] | None] = ContextVar(
    "olk_emulator_attachments", default=None)
_TERM_RE = re.compile(r'(?:(?P<prop>[A-Za-z]+)(?P<op>:|>=|<=|>|<|=))?(?P<val>"[^"]*"|[^\s"]+)')


def _addresses(msg: dict[str, Any], *fields: str) -> str:
    out: list[str] = []
    for f in fields:
        value = msg.get(f)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                ea = item.get("emailAddress") or {}
                out.append(f"{ea.get('name') or ''} {ea.get('address') or ''}")
    return " ".join(out).lower()


def _body(msg: dict[str, Any]) -> str:
    body = msg.get("body")
    text = body.get("content") if isinstance(body, dict) else None
    return f"{text or ''} {msg.get('bodyPreview') or ''}".lower()


def _attachment_names(msg: dict[str, Any]) -> str:
    atts = (ATTACHMENTS.get() or {}).get(str(msg.get("id")), {})
    return " ".join(str(a.get("name") or "") for a in atts.values()).lower()


def _day(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text[:10]).replace(tzinfo=UTC)
    except ValueError:
        raise GraphError(400, "BadRequest", f"Invalid date in $search: '{text}'.") from None


def _date_pred(field: str, op: str, value: str) -> Predicate:
    if ".." in value:
        lo_s, hi_s = value.split("..", 1)
        lo, hi = _day(lo_s), _day(hi_s) + timedelta(days=1)
    elif op in (":", "="):
        lo = _day(value)
        hi = lo + timedelta(days=1)
    else:
        d = _day(value)
        lo, hi = {
            ">=": (d, None), ">": (d + timedelta(days=1), None),
            "<": (None, d), "<=": (None, d + timedelta(days=1)),
        }[op]
    lo_s = lo.strftime("%Y-%m-%dT%H:%M:%SZ") if lo else None
    hi_s = hi.strftime("%Y-%m-%dT%H:%M:%SZ") if hi else None

    def pred(msg: dict[str, Any]) -> bool:
        stamp = str(msg.get(field) or "")
        return (lo_s is None or stamp >= lo_s) and (hi_s is None or stamp < hi_s)

    return pred


def _term(prop: str | None, op: str | None, value: str) -> Predicate:
    needle = value.strip('"').lower()
    if prop is None:
        def bare(msg: dict[str, Any]) -> bool:
            return (needle in str(msg.get("subject") or "").lower()
                    or needle in _body(msg) or needle in _addresses(msg, "from"))
        return bare
    p = prop.lower()
    if p in ("received", "sent"):
        return _date_pred("receivedDateTime" if p == "received" else "sentDateTime",
                          op or ":", needle)
    if p == "hasattachments":
        want = needle in ("true", "yes", "1")
        return lambda m: bool(m.get("hasAttachments")) == want
    simple: dict[str, Callable[[dict[str, Any]], str]] = {
        "from": lambda m: _addresses(m, "from", "sender"),
        "to": lambda m: _addresses(m, "toRecipients"),
        "cc": lambda m: _addresses(m, "ccRecipients"),
        "bcc": lambda m: _addresses(m, "bccRecipients"),
        "participants": lambda m: _addresses(m, "from", "toRecipients", "ccRecipients"),
        "subject": lambda m: str(m.get("subject") or "").lower(),
        "body": _body,
        "importance": lambda m: str(m.get("importance") or "").lower(),
        "category": lambda m: " ".join(str(c) for c in m.get("categories") or []).lower(),
        "attachment": _attachment_names,
    }
    getter = simple.get(p)
    if getter is None:
        # KQL treats an unknown property as text to look for.
        return _term(None, None, f"{prop}{op}{value}")
    return lambda m: needle in getter(m)


def parse_search(text: str) -> Predicate:
    """Turn a ``$search`` value (quoted or not) into a predicate over message dicts."""
    q = text.strip()
    if len(q) >= 2 and q[0] == q[-1] == '"':
        q = q[1:-1]
    q = q.replace('\\"', '"').strip()
    if not q:
        raise GraphError(400, "BadRequest", "The $search query is empty.")
    groups: list[list[Predicate]] = [[]]
    pos = 0
    while pos < len(q):
        if q[pos].isspace():
            pos += 1
            continue
        m = _TERM_RE.match(q, pos)
        if not m:
            raise GraphError(400, "BadRequest", f"Syntax error in $search at position {pos}.")
        pos = m.end()
        val = m.group("val")
        if m.group("prop") is None and val in ("AND", "OR", "NOT"):
            if val == "OR":
                groups.append([])
            continue
        groups[-1].append(_term(m.group("prop"), m.group("op"), val))
    alternatives = [g for g in groups if g]

    def pred(msg: dict[str, Any]) -> bool:
        return any(all(t(msg) for t in g) for g in alternatives)

    return pred
