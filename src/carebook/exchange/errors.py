"""Why a spreadsheet cannot be read, as one sentence a worker can act on."""

from __future__ import annotations


class FileRefused(Exception):
    """The file cannot be imported at all; message is one sentence saying why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PasswordNeeded(FileRefused):
    """The workbook is encrypted: ask for its password (CLI --password) and try again."""


class WrongPassword(PasswordNeeded):
    pass
