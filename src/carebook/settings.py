"""The one typed settings object, saved as JSON in the data dir and upgraded by version."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from carebook.paths import create_private_file

SETTINGS_VERSION = 1
LANGUAGES = ("zh_CN", "en")
log = logging.getLogger(__name__)


def split_villages(text: str) -> list[str]:
    """Villages typed with 、，, or spaces between them, blanks and repeats dropped."""
    for sep in ("，", ",", " ", "\u3000", ";", "；"):
        text = text.replace(sep, "、")
    seen: list[str] = []
    for name in (part.strip() for part in text.split("、")):
        if name and name not in seen:
            seen.append(name)
    return seen


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    worker_name: str = ""
    county: str = ""
    township: str = ""
    villages: list[str] = field(default_factory=list)
    # Visit rules as plain data; carebook.domain.schedule.rules_from_json turns them into rules.
    visit_rules: list[dict[str, Any]] = field(default_factory=list)
    language: str = "zh_CN"
    pseudo_translation: bool = False
    pdf_font: str = ""
    font_scale: float = 1.0
    mask_personal_numbers: bool = True
    first_run_done: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        data = upgrade(dict(data))
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        settings = cls(**values)
        if settings.language not in LANGUAGES:
            settings.language = "zh_CN"
        return settings


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring settings written by an older version up to SETTINGS_VERSION."""
    data["version"] = SETTINGS_VERSION
    return data


def load_settings(path: Path) -> Settings:
    """Read settings; a missing file gives defaults, a damaged one is set aside first."""
    if not path.exists():
        return Settings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("settings file is not a JSON object")
        return Settings.from_dict(data)
    except (ValueError, TypeError) as exc:
        damaged = path.with_suffix(".damaged.json")
        path.replace(damaged)
        log.warning("settings file %s was unreadable (%s); moved to %s", path, exc, damaged)
        return Settings()


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically so a crash mid-write never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    create_private_file(tmp)  # names the worker and her villages: not for other accounts
    tmp.write_text(settings.to_json(), encoding="utf-8")
    tmp.replace(path)
