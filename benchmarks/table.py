"""Collects benchmark rows and prints them as one Markdown table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class Row:
    """One metric: samples of olk-tui, its target, and a peer's figure when measured."""

    metric: str
    unit: str
    samples: list[float] = field(default_factory=list)
    target: str = ""
    peer: str = ""
    peer_value: float | None = None
    ok: bool | None = None

    def cell(self) -> str:
        if not self.samples:
            return "n/a"
        med = statistics.median(self.samples)
        if len(self.samples) == 1:
            return f"{med:.4g} {self.unit}"
        return f"{med:.4g} {self.unit} ({min(self.samples):.4g}-{max(self.samples):.4g})"

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")


def render(rows: list[Row]) -> str:
    """A Markdown table: metric, olk-tui median (min-max), target, peer figure, ratio, verdict."""
    lines = ["| metric | olk-tui median (min-max) | target | peer | ratio | ok |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        peer = f"{r.peer}: {r.peer_value:.4g} {r.unit}" if r.peer_value is not None else ""
        ratio = (f"{r.median / r.peer_value:.2f}x" if r.peer_value and r.samples else "")
        ok = "" if r.ok is None else ("yes" if r.ok else "**no**")
        lines.append(f"| {r.metric} | {r.cell()} | {r.target} | {peer} | {ratio} | {ok} |")
    return "\n".join(lines)
