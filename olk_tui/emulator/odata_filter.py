"""A small OData ``$filter`` parser and evaluator for the forms Outlook clients send.

Supported: ``eq ne gt ge lt le`` between a property path and a literal, ``and``/``or``/``not``,
parentheses, ``startswith``/``endswith``/``contains``, and lambdas such as
``categories/any(c:c eq 'Red')`` or ``toRecipients/any(r:r/emailAddress/address eq 'a@b')``.
Anything else raises :class:`~olk_tui.emulator.router.GraphError` (400), never silently passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from olk_tui.emulator.router import GraphError
from olk_tui.emulator.state import parse_graph_datetime

Predicate = Callable[[dict[str, Any]], bool]

_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^']|'')*')
  | (?P<dt>\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<punct>[(),:])
  | (?P<name>[A-Za-z_][\w./@]*)
""", re.VERBOSE)
_OPS = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCS = {"startswith", "endswith", "contains"}


def _bad(message: str) -> GraphError:
    return GraphError(400, "BadRequest", message)


@dataclass
class Filter:
    """A parsed ``$filter``: a predicate plus the properties it names, in order."""

    predicate: Predicate
    properties: list[str] = field(default_factory=list)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise _bad(f"Invalid filter clause: syntax error at position {pos} in '{text}'.")
        pos = m.end()
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append((kind, m.group(kind)))
    return out


def _resolve(item: Any, path: list[str]) -> Any:
    if isinstance(item, _Var) and not path:
        return item.scalar
    for part in path:
        if isinstance(item, dict):
            item = _get_ci(item, part)
        else:
            return None
    return item


def _get_ci(d: dict[str, Any], key: str) -> Any:
    if key in d:
        return d[key]
    low = key.lower()
    for k, v in d.items():
        if k.lower() == low:
            return v
    return None


def _compare(op: str, left: Any, right: Any, is_date: bool) -> bool:
    if is_date:
        left, right = parse_graph_datetime(left), parse_graph_datetime(right)
        if left == 0.0:
            return op == "ne"
    elif isinstance(left, str) and isinstance(right, str):
        left, right = left.lower(), right.lower()
    if op == "eq":
        return left == right
    if op == "ne":
        return left != right
    if left is None or right is None:
        return False
    try:
        if op == "gt":
            return left > right
        if op == "ge":
            return left >= right
        if op == "lt":
            return left < right
        return left <= right
    except TypeError:
        return False


class _Parser:
    def __init__(self, text: str, known: set[str] | None, entity: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.pos = 0
        self.known = {k.lower() for k in known} if known is not None else None
        self.entity = entity
        self.props: list[str] = []
        self.vars: set[str] = set()

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise _bad(f"Invalid filter clause: unexpected end of '{self.text}'.")
        self.pos += 1
        return tok

    def expect(self, value: str) -> None:
        tok = self.take()
        if tok[1] != value:
            raise _bad(f"Invalid filter clause: expected '{value}' but found '{tok[1]}'.")

    def parse(self) -> Predicate:
        pred = self.or_expr()
        if self.peek() is not None:
            raise _bad(f"Invalid filter clause: unexpected '{self.peek()[1]}'.")  # type: ignore[index]
        return pred

    def or_expr(self) -> Predicate:
        left = self.and_expr()
        while self._word("or"):
            right = self.and_expr()
            left = (lambda a, b: lambda m: a(m) or b(m))(left, right)
        return left

    def and_expr(self) -> Predicate:
        left = self.unary()
        while self._word("and"):
            right = self.unary()
            left = (lambda a, b: lambda m: a(m) and b(m))(left, right)
        return left

    def _word(self, word: str) -> bool:
        tok = self.peek()
        if tok and tok[0] == "name" and tok[1].lower() == word:
            self.pos += 1
            return True
        return False

    def unary(self) -> Predicate:
        if self._word("not"):
            inner = self.unary()
            return lambda m: not inner(m)
        tok = self.peek()
        if tok and tok[1] == "(":
            self.take()
            inner = self.or_expr()
            self.expect(")")
            return inner
        return self.comparison()

    def path(self, name: str) -> list[str]:
        parts = name.split("/")
        if parts[0] in self.vars:
            return parts
        if self.known is not None and parts[0].lower() not in self.known:
            raise _bad(f"Could not find a property named '{parts[0]}' on type "
                       f"'microsoft.graph.{self.entity}'.")
        if parts[0] not in self.props:
            self.props.append(parts[0])
        return parts

    def literal(self) -> Any:
        kind, value = self.take()
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "dt":
            return value
        if kind == "num":
            return float(value) if "." in value else int(value)
        if kind == "name" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if kind == "name" and value.lower() == "null":
            return None
        raise _bad(f"Invalid filter clause: expected a literal but found '{value}'.")

    def comparison(self) -> Predicate:
        kind, name = self.take()
        if kind != "name":
            raise _bad(f"Invalid filter clause: unexpected '{name}'.")
        nxt = self.peek()
        if name.lower() in _FUNCS and nxt and nxt[1] == "(":
            return self.function(name.lower())
        if nxt and nxt[1] == "(" and name.lower().endswith(("/any", "/all")):
            return self.lambda_(name)
        path = self.path(name)
        op_tok = self.take()
        op = op_tok[1].lower()
        if op not in _OPS:
            raise _bad(f"Invalid filter clause: unsupported operator '{op_tok[1]}'.")
        value = self.literal()
        is_date = path[-1].lower().endswith("datetime")
        root_var = path[0] if path[0] in self.vars else None

        def pred(item: dict[str, Any]) -> bool:
            target = _resolve(item, path[1:]) if root_var else _resolve(item, path)
            return _compare(op, target, value, is_date)

        return pred

    def function(self, fname: str) -> Predicate:
        self.expect("(")
        kind, name = self.take()
        if kind != "name":
            raise _bad(f"Invalid filter clause: {fname} needs a property.")
        path = self.path(name)
        self.expect(",")
        value = self.literal()
        self.expect(")")
        if not isinstance(value, str):
            raise _bad(f"Invalid filter clause: {fname} needs a string.")
        needle = value.lower()
        root_var = path[0] in self.vars

        def pred(item: dict[str, Any]) -> bool:
            hay = _resolve(item, path[1:] if root_var else path)
            if not isinstance(hay, str):
                return False
            hay = hay.lower()
            if fname == "startswith":
                return hay.startswith(needle)
            if fname == "endswith":
                return hay.endswith(needle)
            return needle in hay

        return pred

    def lambda_(self, name: str) -> Predicate:
        coll_path = self.path(name.rsplit("/", 1)[0])
        is_all = name.lower().endswith("/all")
        self.expect("(")
        var_kind, var = self.take()
        if var_kind != "name":
            raise _bad("Invalid filter clause: lambda needs a variable.")
        self.expect(":")
        self.vars.add(var)
        inner = self.or_expr()
        self.vars.discard(var)
        self.expect(")")

        def pred(item: dict[str, Any]) -> bool:
            coll = _resolve(item, coll_path)
            if not isinstance(coll, list):
                return False
            # Inner predicates resolve the variable's path from index 1 on, so wrap scalars.
            results = (inner(_Var(el)) for el in coll)
            return all(results) if is_all else any(results)

        return pred


class _Var(dict):  # type: ignore[type-arg]
    """Lambda element: a dict element is itself; a scalar resolves at the empty path."""

    def __init__(self, value: Any) -> None:
        super().__init__(value if isinstance(value, dict) else {})
        self.scalar = value


def parse_filter(text: str, *, known: set[str] | None = None,
                 entity: str = "message") -> Filter:
    """Parse ``$filter`` text; ``known`` limits which top-level properties may appear."""
    parser = _Parser(text, known, entity)
    predicate = parser.parse()
    return Filter(predicate, parser.props)
