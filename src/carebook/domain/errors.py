"""Errors raised by the domain layer, each carrying a message meant for the worker."""

from __future__ import annotations

ID_ERROR_CODES = (
    "empty",
    "excel_damaged",
    "length",
    "characters",
    "birth_date",
    "future",
    "check",
)


class DomainError(ValueError):
    """A value the worker gave breaks a rule; `message` says what to fix, in their language.

    Messages go through carebook.i18n.tr() where the error is raised, never at import time, so
    a worker who switches to English while running gets English from then on.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IdNumberError(DomainError):
    """A resident ID number is unusable; `code` is one of ID_ERROR_CODES."""

    def __init__(self, message: str, code: str) -> None:
        # A typo in a code would silently break how the import report groups problems.
        if code not in ID_ERROR_CODES:
            raise ValueError(f"unknown IdNumberError code: {code!r}")
        super().__init__(message)
        self.code = code


class DateParseError(DomainError):
    """A value could not be read as a date."""


class PhoneError(DomainError):
    """A value could not be read as a telephone number."""


class CategoryError(DomainError):
    """A category or care-level label is not one the register knows."""
