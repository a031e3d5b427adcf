"""One translation mechanism for every layer: Chinese source strings, catalogues per language."""

from __future__ import annotations

import json
import re
from functools import cache

from carebook.resources import resource_path

DEFAULT_LANGUAGE = "zh_CN"
_state = {"language": DEFAULT_LANGUAGE, "pseudo": False}


def set_language(language: str, *, pseudo: bool = False) -> None:
    """Choose the language for everything tr() returns from now on."""
    _state["language"] = language if language in available_languages() else DEFAULT_LANGUAGE
    _state["pseudo"] = pseudo


def current_language() -> str:
    return str(_state["language"])


def available_languages() -> tuple[str, ...]:
    return (DEFAULT_LANGUAGE, *sorted(p.stem for p in resource_path("i18n").glob("*.json")))


@cache
def _catalogue(language: str) -> dict[str, str]:
    path = resource_path("i18n", f"{language}.json")
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def pseudo(text: str) -> str:
    """Stretch a string the way a long translation would, to catch text that does not fit."""
    return "[" + text + "·" * max(2, len(text) // 2) + "]"


# In a translation, {n|row|rows} is "row" when the value n is 1 and "rows" otherwise: Chinese
# needs no plural, English does ("1 rows"), and one string may count several things.
_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def _plural(match: re.Match, values: dict[str, object]) -> str:
    name, one, other = match.groups()
    return one if values.get(name) == 1 else other


def strip_plurals(text: str) -> str:
    """The text with each {n|one|other} choice left out (to compare its placeholders)."""
    return _PLURAL.sub("", text)


def tr(text: str, /, **values: object) -> str:
    """The text in the chosen language, with {name} placeholders filled from values."""
    language = str(_state["language"])
    translated = text if language == DEFAULT_LANGUAGE else _catalogue(language).get(text, text)
    if values:
        if "|" in translated:
            translated = _PLURAL.sub(lambda m: _plural(m, values), translated)
        translated = translated.format(**values)
    return pseudo(translated) if _state["pseudo"] else translated
