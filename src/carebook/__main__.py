"""python -m carebook: the same entry point as the carebook command."""

import sys

from carebook.cli import main

sys.exit(main())
