"""carebook (关爱簿): the register of left-behind children and children in difficulty."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata costs a tenth of a second at every start, before
    # the window could show its first rows.
    if name != "__version__":
        raise AttributeError(f"module 'carebook' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("carebook")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found
