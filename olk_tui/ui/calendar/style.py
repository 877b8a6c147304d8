"""Colours and cell styles of calendar blocks: the calendar's colour, show-as, response.

Graph gives each calendar a named ``color`` (lightBlue, lightGreen, ...) and, on newer
mailboxes, a ``hexColor``; we prefer the hex value, fall back to the name, then to a default.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rich.color import Color
from rich.style import Style

from olk_tui.domain.calendar import Calendar, Event

#: Graph's calendarColor names (Outlook's palette, roughly).
NAMED_COLOURS = {
    "lightBlue": "#4a90d9", "lightGreen": "#5aa55a", "lightOrange": "#e08a3c",
    "lightGray": "#8a8a8a", "lightYellow": "#c9b13a", "lightTeal": "#3aa6a6",
    "lightPink": "#d96aa7", "lightBrown": "#a0785a", "lightRed": "#d9534f",
    "maxColor": "#6a5acd", "auto": "#4a90d9",
}
DEFAULT_COLOUR = "#4a90d9"
BASE_BG = "#1e1e1e"
WORK_BG = "#262626"
GRID_FG = "#5a5a5a"
NOW_FG = "#ff5f5f"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def calendar_colour(calendar: Calendar | None) -> str:
    """"#rrggbb" for a calendar (hexColor, else its named colour, else the default)."""
    if calendar is None:
        return DEFAULT_COLOUR
    if _HEX.match(calendar.hex_color or ""):
        return calendar.hex_color.lower()
    return NAMED_COLOURS.get(calendar.color, DEFAULT_COLOUR)


def blend(a: str, b: str, amount: float) -> str:
    """Mix colour ``a`` towards ``b`` by ``amount`` (0..1)."""
    ca, cb = Color.parse(a).get_truecolor(), Color.parse(b).get_truecolor()
    mix = [round(x + (y - x) * amount) for x, y in zip(ca, cb, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _text_on(bg: str) -> str:
    r, g, b = Color.parse(bg).get_truecolor()
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


@dataclass(frozen=True, slots=True)
class BlockLook:
    """How one event's cells are drawn: body style, left-edge character and its style."""

    body: Style
    edge: str
    edge_style: Style


def block_look(event: Event, colour: str, *, selected: bool = False,
               base_bg: str = BASE_BG) -> BlockLook:
    """The look of an event block.

    busy: filled with the calendar colour; tentative: half-tone with a dashed edge; free:
    outline only; oof: purple; workingElsewhere: dotted edge; cancelled: struck through;
    declined (when shown): dimmed; selected: reversed. Looks are shared (cached) between
    events that draw alike, which also lets the canvas merge their cells into few segments.
    """
    return _look(event.show_as, event.response == "declined", event.is_cancelled, colour,
                 selected, base_bg)


@functools.lru_cache(maxsize=512)
def _look(show_as: str, declined: bool, cancelled: bool, colour: str, selected: bool,
          base_bg: str) -> BlockLook:
    edge = "▎"
    if show_as == "free":
        bg, fg, edge = base_bg, colour, "│"
    elif show_as == "tentative":
        bg = blend(colour, base_bg, 0.55)
        fg, edge = "#ffffff", "┆"
    elif show_as == "oof":
        bg = "#7d4fa8"
        fg = _text_on(bg)
    elif show_as == "workingElsewhere":
        bg = blend(colour, base_bg, 0.35)
        fg, edge = _text_on(bg), "┊"
    else:
        bg = colour
        fg = _text_on(bg)
    if declined or cancelled:
        bg = blend(bg, base_bg, 0.6)
        fg = blend(fg, base_bg, 0.35)
    body = Style(color=fg, bgcolor=bg, strike=cancelled, italic=declined,
                 dim=declined)
    edge_style = Style(color=blend(colour, "#000000", 0.35) if show_as != "free" else colour,
                       bgcolor=bg)
    if selected:
        body = Style(color=bg if show_as != "free" else base_bg, bgcolor="#f0f0f0",
                     bold=True, strike=cancelled)
        edge_style = Style(color="#000000", bgcolor="#f0f0f0", bold=True)
        edge = "▌"
    return BlockLook(body, edge, edge_style)
