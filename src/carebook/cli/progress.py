"""Drive a progress-yielding job from the terminal, with a bar on a TTY and silence elsewhere."""

from __future__ import annotations

import sys
from typing import TypeVar

from carebook.services.progress import Job

T = TypeVar("T")


def drive(job: Job[T], *, stream=None) -> T:
    stream = stream or sys.stderr
    show = stream.isatty()
    try:
        while True:
            progress = next(job)
            if show and progress.total:
                width = 30
                filled = int(width * progress.fraction)
                bar = "█" * filled + "·" * (width - filled)
                stream.write(f"\r{bar} {progress.done}/{progress.total} {progress.message[:40]}")
                stream.flush()
    except StopIteration as stop:
        if show:
            stream.write("\n")
        return stop.value
