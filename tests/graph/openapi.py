"""A tiny reader for the trimmed Graph OpenAPI excerpt (no PyYAML): paths, methods, query
parameter names and entity schema properties, read from the file's fixed indentation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.samples import SAMPLES as _SAMPLES_DIR

SPEC = _SAMPLES_DIR / "openapi" / "graph-v1.0-mail-calendar-contacts.openapi.yaml"


@dataclass
class Spec:
    #: path -> method -> set of query parameter names
    operations: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    #: schema name (e.g. "microsoft.graph.message") -> (own properties, base schema names)
    schemas: dict[str, tuple[set[str], list[str]]] = field(default_factory=dict)

    def properties(self, schema: str) -> set[str]:
        own, bases = self.schemas.get(schema, (set(), []))
        out = set(own)
        for base in bases:
            out |= self.properties(base)
        return out


def load(path: Path = SPEC) -> Spec:
    lines = path.read_text(encoding="utf-8").splitlines()
    spec = Spec()
    section = ""
    current_path = current_method = ""
    param_refs: dict[str, str] = {}
    pending: list[tuple[str, str, str]] = []  # (path, method, ref) resolved at the end
    schema = ""
    in_props_indent = -1
    for line in lines:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            section = line.rstrip(":")
            continue
        if section == "paths":
            if indent == 2 and line.strip().endswith(":"):
                current_path = line.strip()[:-1]
                spec.operations[current_path] = {}
            elif indent == 4 and re.fullmatch(r"(get|post|patch|put|delete):", line.strip()):
                current_method = line.strip()[:-1].upper()
                spec.operations[current_path][current_method] = set()
            elif indent == 6 and current_method:
                m = re.match(r"- name: (\S+)", line.strip())
                if m:
                    spec.operations[current_path][current_method].add(m.group(1))
                m = re.match(r"- \$ref: '#/components/parameters/(\S+)'", line.strip())
                if m:
                    pending.append((current_path, current_method, m.group(1)))
        elif section == "components":
            if indent == 2:
                sub = line.strip().rstrip(":")
                schema = ""
                in_props_indent = -1
                continue
            if sub == "parameters":
                if indent == 4:
                    ref = line.strip().rstrip(":")
                elif indent == 6 and line.strip().startswith("name:"):
                    param_refs[ref] = line.strip().split(":", 1)[1].strip()
            elif sub == "schemas":
                if indent == 4:
                    schema = line.strip().rstrip(":")
                    spec.schemas[schema] = (set(), [])
                    in_props_indent = -1
                    continue
                m = re.match(r"- \$ref: '#/components/schemas/(\S+)'", line.strip())
                if m and indent == 6:
                    spec.schemas[schema][1].append(m.group(1))
                if line.strip() == "properties:":
                    in_props_indent = indent + 2
                elif indent == in_props_indent and line.strip().endswith(":"):
                    spec.schemas[schema][0].add(line.strip()[:-1].strip("'\""))
                elif in_props_indent > 0 and indent < in_props_indent:
                    in_props_indent = -1
    for p, method, ref in pending:
        spec.operations[p][method].add(param_refs[ref])
    return spec


def normalise(spec_path: str) -> str:
    """``/users/{user-id}/messages/{message-id}/microsoft.graph.move`` -> ``/me/messages/{}/move``.
    """
    out = spec_path.replace("/users/{user-id}", "/me", 1)
    out = re.sub(r"microsoft\.graph\.(\w+)(\(\))?", r"\1", out)
    return re.sub(r"\{[^}]+\}", "{}", out)
