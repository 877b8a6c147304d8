"""Month overview for jumping: a grid of dates, arrows move, Enter returns the date."""

from __future__ import annotations

from datetime import date, timedelta

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from olk_tui.ui.calendar.dialogs import DIALOG_CSS
from olk_tui.ui.calendar.layout import WEEKDAY_NAMES


def month_grid(anchor: date, week_start: str = "monday") -> list[list[date]]:
    """Six weeks of dates covering ``anchor``'s month, starting on ``week_start``."""
    first = anchor.replace(day=1)
    start_index = WEEKDAY_NAMES.index(week_start) if week_start in WEEKDAY_NAMES else 0
    begin = first - timedelta(days=(first.weekday() - start_index) % 7)
    return [[begin + timedelta(days=7 * w + d) for d in range(7)] for w in range(6)]


def render_month(selected: date, today: date, busy: dict[date, int],
                 week_start: str = "monday") -> Text:
    """The month as text; days with events get a dot, the selection is reversed."""
    text = Text(selected.strftime("%B %Y").center(28) + "\n", style="bold")
    grid = month_grid(selected, week_start)
    names = [d.strftime("%a")[:2] for d in grid[0]]
    text.append(" ".join(f"{n:>3}" for n in names) + "\n", style="dim")
    for week in grid:
        for i, day in enumerate(week):
            style = Style(dim=day.month != selected.month)
            if day == today:
                style += Style(color="#ff5f5f", bold=True)
            if day == selected:
                style += Style(reverse=True)
            mark = "•" if busy.get(day) else " "
            text.append(f"{day.day:>2}{mark}", style=style)
            if i < 6:
                text.append(" ")
        text.append("\n")
    return text


class MonthDialog(ModalScreen[date | None]):
    """Pick a day from a month view: arrows/hjkl by day/week, [ ] by month, Enter jumps."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MonthDialog") + """
    MonthDialog > Vertical { width: 32; }
    """
    BINDINGS = [
        Binding("left,h", "move(-1)", "Previous day", show=False, id="calendar.month.left"),
        Binding("right,l", "move(1)", "Next day", show=False, id="calendar.month.right"),
        Binding("up,k", "move(-7)", "Previous week", show=False, id="calendar.month.up"),
        Binding("down,j", "move(7)", "Next week", show=False, id="calendar.month.down"),
        Binding("left_square_bracket,pageup", "month(-1)", "Previous month",
                id="calendar.month.previous"),
        Binding("right_square_bracket,pagedown", "month(1)", "Next month",
                id="calendar.month.next"),
        Binding("enter", "choose", "Go", id="calendar.month.choose"),
        Binding("escape", "dismiss(None)", "Cancel", id="calendar.month.cancel"),
    ]

    def __init__(self, selected: date, today: date, busy: dict[date, int] | None = None,
                 week_start: str = "monday") -> None:
        super().__init__()
        self.selected = selected
        self.today = today
        self.busy = busy or {}
        self.week_start = week_start

    def compose(self) -> ComposeResult:
        """The month text."""
        with Vertical():
            yield Static(self._text(), id="month")

    def _text(self) -> Text:
        return render_month(self.selected, self.today, self.busy, self.week_start)

    def _redraw(self) -> None:
        self.query_one("#month", Static).update(self._text())

    def action_move(self, days: int) -> None:
        """Move the selection by days."""
        moved = self.selected.toordinal() + days
        if date(1900, 1, 1).toordinal() <= moved <= date(9998, 12, 31).toordinal():
            self.selected = date.fromordinal(moved)
        self._redraw()

    def action_month(self, delta: int) -> None:
        """Move the selection by months (clamped to the month's length)."""
        month = self.selected.month - 1 + delta
        year = self.selected.year + month // 12
        month = month % 12 + 1
        if not 1900 <= year <= 9998:
            return
        day = self.selected.day
        while True:
            try:
                self.selected = date(year, month, day)
                break
            except ValueError:
                day -= 1
        self._redraw()

    def action_choose(self) -> None:
        """Jump to the selected day."""
        self.dismiss(self.selected)
