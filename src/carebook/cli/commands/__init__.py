"""The subcommands; each module has register(subparsers) -> the parsers it added."""

from carebook.cli.commands import audit, care, exchange, importing, maintenance, printing, register

MODULES = (register, maintenance, importing, exchange, care, printing, audit)
