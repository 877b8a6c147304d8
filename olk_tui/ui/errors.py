"""Turn any exception into one readable sentence for a toast (never a traceback)."""

from __future__ import annotations

from textual.message import Message
from textual.worker import Worker, WorkerState

from olk_tui.domain.errors import AuthRequired, NotFound, Offline, OlkError, Throttled
from olk_tui.ui.text import inline


def friendly(error: BaseException | None, doing: str = "") -> str:
    """A short message saying what failed and, where it helps, what to do."""
    prefix = f"Could not {doing}: " if doing else ""
    if isinstance(error, Offline):
        return prefix + "you are offline; it will be retried when the connection is back."
    if isinstance(error, AuthRequired):
        hint = getattr(error, "hint", "") or "run 'olk-tui login' and try again."
        return prefix + "sign-in needed: " + inline(hint, 120)
    if isinstance(error, Throttled):
        return prefix + "the server is busy; try again in a moment."
    if isinstance(error, NotFound):
        return prefix + "it no longer exists (moved or deleted elsewhere)."
    if isinstance(error, OlkError):
        return prefix + inline(str(error), 200)
    name = type(error).__name__ if error else "unknown error"
    return prefix + f"unexpected {name}: " + inline(str(error), 160)


class WorkerFailed(Message):
    """A worker somewhere raised; the app shows it (one central handler)."""

    def __init__(self, doing: str, error: BaseException | None) -> None:
        super().__init__()
        self.doing, self.error = doing, error


class ReportsWorkerErrors:
    """Mixin for widgets and screens that run workers: failures go to the app as one message.

    Textual's ``Worker.StateChanged`` does not bubble, so each node that runs workers forwards
    errors; the app turns them into a readable toast.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Forward a failed worker to the app."""
        if event.state is WorkerState.ERROR:
            app = self.app  # type: ignore[attr-defined]
            app.post_message(WorkerFailed(event.worker.description, event.worker.error))
