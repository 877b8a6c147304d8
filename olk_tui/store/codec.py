"""Turn domain dataclasses into JSON-able data and back, for columns that hold a whole object.

The store keeps searchable and sortable fields in real columns; the rest of an event, contact,
draft or calendar is kept as JSON written by ``dumps`` and read back by ``loads``. The decoder
follows the dataclass type hints, so it rebuilds nested dataclasses, enums, datetimes, dates and
tuples without any per-class code, and ignores keys it does not know (older/newer rows).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_data(value: Any) -> Any:
    """A JSON-able form of ``value`` (dataclass, datetime, date, enum, tuple, dict, scalar)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from ``to_data`` output (tolerant of missing keys)."""
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return from_data(args[0], data) if len(args) == 1 else data
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], v) for v in data)
        return tuple(from_data(a, v) for a, v in zip(args, data, strict=False))
    if origin in (dict, list) or tp is Any:
        return data
    supertype = getattr(tp, "__supertype__", None)  # NewType
    if supertype is not None:
        return from_data(supertype, data)
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            kwargs = {f.name: from_data(hints[f.name], data[f.name])
                      for f in dataclasses.fields(tp) if f.init and f.name in data}
            return tp(**kwargs)
        if issubclass(tp, datetime):
            return datetime.fromisoformat(data)
        if issubclass(tp, date):
            return date.fromisoformat(data)
        if issubclass(tp, enum.Enum):
            return tp(data)
    return data


def dumps(value: Any) -> str:
    """Compact JSON of ``to_data(value)``."""
    return json.dumps(to_data(value), separators=(",", ":"), ensure_ascii=False)


def loads(cls: type[T], text: str) -> T:
    """Rebuild a ``cls`` instance from ``dumps`` output."""
    result: T = from_data(cls, json.loads(text))
    return result
