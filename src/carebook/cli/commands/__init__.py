"""The subcommands; each module has register(subparsers) -> the parsers it added."""

from carebook.cli.commands import exchange, maintenance, register

MODULES = (register, maintenance, exchange)
