"""Progress of long work, yielded by generators that the GUI, the CLI and tests all drive."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    message: str = ""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


# A long job: yields Progress, returns its result (StopIteration.value).
Job = Generator[Progress, None, T]


def run_to_end(job: Job[T]) -> T:
    """Drive a job with nobody watching; returns what it returns."""
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value
