"""Fewer garbage collections while a bulk job builds many small objects (an import's rows).

Python collects its youngest objects every 700 allocations, and every collection of the older
generations walks every object an import has built so far: about a tenth of a 50,000-row
import went there. The rows an import builds hold no reference cycles, so collecting every
50,000 allocations instead loses nothing. Thresholds are process-wide: nested or concurrent
jobs share one relaxed setting, and the last to finish puts the old one back.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_RELAXED = (50_000, 20, 10)
_lock = threading.Lock()
_active = 0
_saved: tuple[int, ...] = ()


@contextmanager
def fewer_collections() -> Iterator[None]:
    global _active, _saved
    with _lock:
        if _active == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*_RELAXED)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                gc.set_threshold(*_saved)
