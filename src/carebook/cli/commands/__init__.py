"""The subcommands; each module has register(subparsers) -> the parsers it added."""

from carebook.cli.commands import maintenance, printing, register

MODULES = (register, maintenance, printing)
