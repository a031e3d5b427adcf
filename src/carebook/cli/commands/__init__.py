"""The subcommands; each module has register(subparsers) -> the parsers it added."""

from carebook.cli.commands import care, maintenance, register

MODULES = (register, maintenance, care)
