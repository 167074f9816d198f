"""A progress bar on stderr for long work: it appears only once the work has run
for about a second, so quick runs print nothing there."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Console

from ..progress import Reporter

if TYPE_CHECKING:
    from rich.progress import Progress

DELAY = 1.0


class BarReporter(Reporter):
    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.task = None
        self.name, self.total, self.done_units = "", 0, 0

    def stage(self, name: str, total: int) -> None:
        self.name, self.total, self.done_units = name, max(total, 1), 0
        if self.bar is not None:
            self.task = self.bar.add_task(name, total=self.total)
        self._maybe_start()

    def advance(self, units: int) -> None:
        self.done_units += units
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=self.done_units)
        else:
            self._maybe_start()

    def _maybe_start(self) -> None:
        if self.bar is None and time.monotonic() - self.started > DELAY:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.name, total=self.total, completed=self.done_units)

    def done(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
