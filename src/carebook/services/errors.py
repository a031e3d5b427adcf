"""Errors a service raises; each carries a sentence (and per-field problems) for the worker."""

from __future__ import annotations

from carebook.i18n import tr


class ServiceError(Exception):
    """A user action that cannot be done; str() is one sentence in the worker's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(ServiceError):
    """Input that cannot be saved; problems maps a field name to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__(_one_sentence(list(self.problems.values())))


def _one_sentence(problems: list[str]) -> str:
    """Each problem is a full sentence: Chinese runs them on with "；", English with a space."""
    joined = problems[0] if problems else ""
    for problem in problems[1:]:
        joined = tr("{first}；{then}", first=joined, then=problem)
    return joined


class DuplicateChildError(ServiceError):
    """The ID number is already in the register; existing_uid opens that child."""

    def __init__(self, message: str, existing_uid: str) -> None:
        super().__init__(message)
        self.existing_uid = existing_uid


class NotFoundError(ServiceError):
    pass
