"""carebook (关爱簿): the register of left-behind children and children in difficulty."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("carebook")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
