"""The subcommands; each module has register(subparsers) -> the parsers it added."""

from carebook.cli.commands import (
    audit_log,
    care,
    exchange,
    importing,
    maintenance,
    printing,
    register,
)

MODULES = (register, maintenance, importing, exchange, care, printing, audit_log)
