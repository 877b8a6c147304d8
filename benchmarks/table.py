"""Collects benchmark rows and prints them as one Markdown table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


def fmt(value: float, unit: str) -> str:
    """``value`` with four significant digits and its unit."""
    return f"{value:.4g} {unit}".strip()


@dataclass
class Row:
    """One metric: samples of olk-tui, its target, and peers' figures when measured.

    ``peer``/``peer_value`` name one peer (the original API); ``peers`` holds any number of
    (name, median) pairs, each shown with its own ratio.
    """

    metric: str
    unit: str
    samples: list[float] = field(default_factory=list)
    target: str = ""
    peer: str = ""
    peer_value: float | None = None
    ok: bool | None = None
    peers: list[tuple[str, float]] = field(default_factory=list)

    def cell(self) -> str:
        """The olk-tui figure: median, and (min-max) when there is more than one sample."""
        if not self.samples:
            return "n/a"
        med = statistics.median(self.samples)
        if len(self.samples) == 1:
            return fmt(med, self.unit)
        return f"{med:.4g} {self.unit} ({min(self.samples):.4g}-{max(self.samples):.4g})"

    @property
    def median(self) -> float:
        """Median of the samples (NaN when there are none)."""
        return statistics.median(self.samples) if self.samples else float("nan")

    def all_peers(self) -> list[tuple[str, float]]:
        """Every peer figure, the single ``peer`` first."""
        first = [(self.peer, self.peer_value)] if self.peer_value is not None else []
        return first + list(self.peers)  # type: ignore[operator]


def render(rows: list[Row]) -> str:
    """A Markdown table: metric, olk-tui median (min-max), target, peer figure, ratio, verdict."""
    lines = ["| metric | olk-tui median (min-max) | target | peer | ratio | ok |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        peers = r.all_peers()
        peer = "; ".join(f"{name}: {fmt(value, r.unit)}" for name, value in peers)
        ratio = " / ".join(f"{r.median / value:.2f}x" for _, value in peers
                           if value and r.samples)
        ok = "" if r.ok is None else ("yes" if r.ok else "**no**")
        lines.append(f"| {r.metric} | {r.cell()} | {r.target} | {peer} | {ratio} | {ok} |")
    return "\n".join(lines)
