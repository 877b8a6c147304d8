"""Decode a JSON body from the network into values the rest of the app can store and show.

JSON may carry ``\\ud800``-style escapes for lone surrogates (and CESU-8 bytes that
``json.loads`` accepts). Python keeps them in ``str``, but SQLite, UTF-8 files and terminals
cannot encode them, so one such subject used to abort a whole delta page at the cache insert.
Here every string (keys too) with a lone surrogate gets U+FFFD in its place; valid pairs stay.
"""

from __future__ import annotations

import json
import re
from typing import Any

# A surrogate escape in JSON text, or a UTF-8-encoded surrogate (ED A0..BF xx): only bodies
# with one of these can decode to a string holding a lone surrogate.
_MAY_HOLD_SURROGATE = re.compile(rb"\\[uU][dD][89a-fA-F]|\xed[\xa0-\xbf]")


def loads(content: bytes | str) -> Any:
    """``json.loads`` whose strings are always encodable as UTF-8.

    Raises:
        ValueError: the body is not JSON, not decodable, or nested too deeply to parse.
    """
    try:
        data = json.loads(content)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    raw = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    if _MAY_HOLD_SURROGATE.search(raw):
        data = _repair(data)
    return data


def _fix(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _repair(data: Any) -> Any:
    """Replace lone surrogates in every string of ``data`` (iteratively: depth cannot hurt)."""
    if isinstance(data, str):
        return _fix(data)
    if not isinstance(data, dict | list):
        return data
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, str):
                    node[i] = _fix(value)
                elif isinstance(value, dict | list):
                    stack.append(value)
        else:
            for key in list(node):
                value = node[key]
                if isinstance(value, str):
                    value = _fix(value)
                elif isinstance(value, dict | list):
                    stack.append(value)
                fixed = _fix(key)
                if fixed != key:
                    del node[key]
                node[fixed] = value
    return data
