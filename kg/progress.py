"""Progress on stderr for commands that can run long (rich), silent when stderr is not a terminal."""
from __future__ import annotations

import sys


def on_terminal() -> bool:
    return sys.stderr.isatty()


class Progress:
    """``with Progress("push sparql", unit="articles") as p: p.update(done, total)`` or ``p.advance()``.

    Draws one live line on stderr (a bar when the total is known, a counter and a rate
    when it is not); does nothing when ``enabled`` is false or stderr is not a terminal.
    """

    def __init__(self, label: str, total: int | None = None, unit: str | None = "articles", enabled: bool = True):
        self.label, self.total, self.unit = label, total, unit
        self.enabled = enabled and on_terminal()
        self._bar = self._task = None

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, SpinnerColumn,
                                       TextColumn, TimeElapsedColumn)

            if self.unit is None:       # work without steps: "⠋ export turtle 0:00:12"
                columns = (SpinnerColumn(), TextColumn("{task.description}"))
            elif self.total is None:    # a stream: "⠋ 1200 articles extracted and stored 0:00:41"
                columns = (SpinnerColumn(), TextColumn("{task.completed} %s {task.description}" % self.unit))
            else:                       # "push sparql ━━━━━━━━━━╸━━━━ 40/120 articles 0:00:03"
                columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TextColumn(self.unit))
            self._bar = Bar(*columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total)
        return self

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, steps)

    def update(self, done: int, total: int | None = None) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total if total is not None else self.total)

    def describe(self, label: str) -> None:
        """Say what the command does now (the label shown beside the count)."""
        if self._bar is not None:
            self._bar.update(self._task, description=label)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        return False
