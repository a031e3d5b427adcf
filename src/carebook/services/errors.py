"""Errors a service raises; each carries a sentence (and per-field problems) for the worker."""

from __future__ import annotations


class ServiceError(Exception):
    """A user action that cannot be done; str() is one sentence in the worker's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(ServiceError):
    """Input that cannot be saved; problems maps a field name to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("；".join(problems.values()))


class DuplicateChildError(ServiceError):
    """The ID number is already in the register; existing_uid opens that child."""

    def __init__(self, message: str, existing_uid: str) -> None:
        super().__init__(message)
        self.existing_uid = existing_uid


class NotFoundError(ServiceError):
    pass
