"""The bundle's entry point: the carebook command, frozen (no subcommand opens the GUI)."""

import sys

from carebook.cli import main

if __name__ == "__main__":
    sys.exit(main())
