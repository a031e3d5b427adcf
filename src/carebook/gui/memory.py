"""What the window gives back once a page is built: source text kept by imports, freed heap."""

from __future__ import annotations

import linecache


def release_after_building() -> None:
    """Drop the module sources PySide6 read while importing a page, and hand back freed heap.

    shiboken6 replaces `import` and reads every newly imported module's whole source (to see
    whether it uses PySide6's __feature__ switches) through linecache, which keeps it: 840 files,
    340,000 lines by the time every page was open. A traceback reads a file again if it needs it.
    """
    # Imported here: storage brings SQLAlchemy, which a quick start's first rows do without.
    from carebook.storage.memory import return_freed_memory

    linecache.clearcache()
    return_freed_memory()
