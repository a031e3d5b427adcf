"""The subcommands; each module has register(subparsers) -> the parsers it added."""

from carebook.cli.commands import care, importing, maintenance, printing, register

MODULES = (register, maintenance, importing, care, printing)
