"""How the engine reports long work without knowing who listens: a `Reporter`
receives stage names and advances; the CLI shows them as a progress bar."""

from __future__ import annotations


class Reporter:
    """The silent reporter; subclass and override to show progress."""

    def stage(self, name: str, total: int) -> None:  # noqa: B027 - intentionally empty
        """A stage of `total` units begins."""

    def advance(self, units: int) -> None:  # noqa: B027
        """`units` more units of the current stage are done."""

    def done(self) -> None:  # noqa: B027
        """All work is finished."""


SILENT = Reporter()
