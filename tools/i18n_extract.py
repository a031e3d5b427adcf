"""Find every user-visible Chinese source string in src/ and say which lack an English entry.

  python tools/i18n_extract.py            -> missing strings as JSON {"中文": ""}, ready to fill
  python tools/i18n_extract.py --all      -> every string found, with its current English
  python tools/i18n_extract.py --merge F  -> add the filled entries of JSON file F to en.json
  python tools/i18n_extract.py --check    -> exit 1 when any string lacks an English entry
  python tools/i18n_extract.py --stale    -> catalogue entries no source string uses any more

Strings are found in the syntax tree, not by regex: tr("…") with a literal (also the literal
arm of `tr(x or "…")` and `tr(a if c else "…")`), navigation labels (PageSpec(key, "…")),
placeholder("…", "…"), and the domain vocabularies the screens show through tr().
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
CATALOGUE = SRC / "carebook" / "resources" / "i18n" / "en.json"
# Callables whose literal arguments at these positions are shown translated.
TRANSLATED_ARGS = {"tr": (0,), "placeholder": (0, 1), "PageSpec": (1,)}


def _literals(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _literals(value)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def strings_in(path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        positions = TRANSLATED_ARGS.get(_callee(node) or "")
        if not positions:
            continue
        for index in positions:
            if index < len(node.args):
                for text in _literals(node.args[index]):
                    yield text, node.lineno


def untranslatable_calls(src: Path = SRC) -> list[str]:
    """tr(f"…") and tr("…" + x) can never match a catalogue entry: use tr("…{name}…", name=x)."""
    found = []
    for path in sorted(src.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            built = (
                isinstance(node, ast.Call)
                and _callee(node) == "tr"
                and bool(node.args)
                and isinstance(node.args[0], ast.JoinedStr | ast.BinOp)
            )
            if built:
                found.append(f"{path.relative_to(src.parent)}:{node.lineno}")
    return found


def vocabulary() -> list[str]:
    """Domain labels that screens pass through tr() as data rather than as literals."""
    sys.path.insert(0, str(SRC))
    from carebook.domain import categories, dates, schedule

    words = list(categories.all_categories())
    words += ["在册", "退出"]  # the register's two statuses (services.register_query.STATUSES)
    words += [band.label for band in (*dates.AGE_BANDS, *dates.COUNTY_AGE_BANDS)]
    words += ["所有类别", "所有关爱等级", "一般", "重点"]
    words += list(schedule.DUE_STATUS_LABELS.values())
    return words


def collect(src: Path = SRC) -> dict[str, list[str]]:
    """Every source string -> where it appears (file:line), in a stable order."""
    found: dict[str, list[str]] = {}
    for path in sorted(src.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for text, line in strings_in(path):
            found.setdefault(text, []).append(f"{path.relative_to(src.parent)}:{line}")
    for word in vocabulary():
        found.setdefault(word, []).append("domain vocabulary")
    return found


def load_catalogue(path: Path = CATALOGUE) -> dict[str, str]:
    return json.loads(path.read_text(encoding="utf-8"))


def missing(found: dict[str, list[str]], catalogue: dict[str, str]) -> list[str]:
    return [text for text in found if not catalogue.get(text, "").strip()]


def save_catalogue(catalogue: dict[str, str], path: Path = CATALOGUE) -> None:
    ordered = dict(sorted(catalogue.items()))
    path.write_text(json.dumps(ordered, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--all", action="store_true")
    group.add_argument("--check", action="store_true")
    group.add_argument("--merge", metavar="FILE")
    group.add_argument("--stale", action="store_true")
    args = parser.parse_args(argv)
    found = collect()
    catalogue = load_catalogue()
    if args.merge:
        filled = json.loads(Path(args.merge).read_text(encoding="utf-8"))
        added = {k: v for k, v in filled.items() if isinstance(v, str) and v.strip()}
        catalogue.update(added)
        save_catalogue(catalogue)
        print(f"added {len(added)} entries; {len(missing(found, catalogue))} still missing")
        return 0
    if args.stale:
        print(
            json.dumps({t: e for t, e in catalogue.items() if t not in found}, ensure_ascii=False)
        )
        return 0
    if args.all:
        print(json.dumps({t: catalogue.get(t, "") for t in found}, ensure_ascii=False, indent=1))
        return 0
    gaps = missing(found, catalogue)
    if args.check:
        for text in gaps:
            print(f"missing English for {text!r} ({', '.join(found[text][:2])})")
        bad = untranslatable_calls()
        for place in bad:
            print(f"{place}: tr() of a built string cannot be translated; use placeholders")
        return 1 if gaps or bad else 0
    print(json.dumps(dict.fromkeys(gaps, ""), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
