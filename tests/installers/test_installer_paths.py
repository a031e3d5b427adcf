"""The Windows installer script and the Linux package use only paths the bundle build produces."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from carebook.paths import APP_NAME
from carebook.storage import migrate

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installers" / "carebook.spec"
ISS = ROOT / "installers" / "windows" / "carebook.iss"
LINUX = ROOT / "installers" / "linux"


def spec_facts() -> dict[str, object]:
    """What the spec produces, read from its syntax tree (it only runs inside PyInstaller)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    exes, collect_name, contents_dir, data_dests = [], None, "_internal", []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id == "executable":
            exes.append(ast.literal_eval(node.args[0]))
        if node.func.id == "COLLECT":
            collect_name = next(ast.literal_eval(k.value) for k in node.keywords if k.arg == "name")
        if node.func.id == "EXE":
            for keyword in node.keywords:
                if keyword.arg == "contents_directory":
                    contents_dir = ast.literal_eval(keyword.value)
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2:
            second = node.elts[1]
            if isinstance(second, ast.Constant) and str(second.value).startswith("carebook/"):
                data_dests.append(second.value)
    icon_dir = re.search(r'ICON_DIR = ROOT / "build" / "icons"', SPEC.read_text(encoding="utf-8"))
    return {
        "exes": exes,
        "bundle": ROOT / "dist" / str(collect_name),  # pyinstaller's default --distpath
        "contents": contents_dir,
        "datas": data_dests,
        "icon": ROOT / "build" / "icons" / "carebook.ico" if icon_dir else None,
    }


def iss_sections() -> dict[str, list[str]]:
    text = ISS.read_text(encoding="utf-8-sig")
    defines = dict(re.findall(r'^\s*#define\s+(\w+)\s+"([^"]*)"', text, re.MULTILINE))
    for name, value in defines.items():
        text = text.replace("{#" + name + "}", value)
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "//", "#")):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def entry(line: str) -> dict[str, str]:
    """One Inno Setup entry: `Name: "value"; Other: value` -> {"Name": "value", ...}."""
    fields = {}
    for part in re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line):
        key, value = part
        fields[key] = value.strip().strip('"').replace('""', '"')
    return fields


def setup_values() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_sections()["Setup"])


def test_the_spec_keeps_the_layout_the_program_looks_for_when_frozen():
    facts = spec_facts()
    assert facts["exes"] == ["carebook", "carebook-cli"]
    # carebook.resources.resource_path and carebook.storage.migrate look exactly here.
    package = Path(migrate.__file__).resolve().parents[1]
    migrations_dest = "carebook/" + migrate.MIGRATIONS.relative_to(package).as_posix()
    assert set(facts["datas"]) >= {"carebook/resources", migrations_dest, "carebook/domain"}


def test_every_file_the_installer_takes_is_one_the_build_produces():
    facts = spec_facts()
    bundle = facts["bundle"]
    produced_top = {f"{name}.exe" for name in facts["exes"]} | {facts["contents"]}
    sources = [entry(line)["Source"] for line in iss_sections()["Files"]]
    assert sources, "the installer installs nothing"
    taken = set()
    for source in sources:
        path = (ISS.parent / source.replace("\\", "/")).resolve()
        if path == facts["icon"]:
            continue
        assert path.is_relative_to(bundle.resolve()), f"{source} is outside the bundle {bundle}"
        top = path.relative_to(bundle.resolve()).parts[0]
        assert top in produced_top, f"{source}: the spec produces no {top}"
        taken.add(top)
    assert taken == produced_top, "some part of the bundle is left out of the installer"


def test_every_shortcut_and_launch_points_at_an_installed_file():
    sections = iss_sections()
    installed = set()
    for line in sections["Files"]:
        fields = entry(line)
        if fields["DestDir"] != "{app}":
            continue
        name = fields.get("DestName") or Path(fields["Source"].replace("\\", "/")).name
        installed.add(name if name != "*" else None)
    installed.discard(None)
    targets = []
    for section in ("Icons", "Run"):
        for line in sections[section]:
            fields = entry(line)
            targets += [fields[k] for k in ("Filename", "IconFilename") if k in fields]
            targets += re.findall(r"\{app\}\\([\w.-]+)", fields.get("Parameters", ""))
    targets.append(setup_values()["UninstallDisplayIcon"])
    app_files = [t.removeprefix("{app}\\") for t in targets if t.startswith("{app}\\")]
    app_files += [t for t in targets if not t.startswith("{")]
    assert app_files
    for name in app_files:
        assert name in installed, f"{name} is used by a shortcut but never installed"


def test_installer_is_per_user_chinese_with_shortcuts_and_no_associations():
    sections = iss_sections()
    setup = setup_values()
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup  # never offers to elevate
    assert setup["DefaultDirName"].startswith("{autopf}")  # = %LOCALAPPDATA%\Programs per user
    assert setup["ChangesAssociations"] == "no"
    assert "Registry" not in sections  # no file types, no machine-wide keys
    assert [entry(line)["Name"] for line in sections["Languages"]] == ["chinesesimplified"]
    shortcuts = [entry(line)["Name"] for line in sections["Icons"]]
    assert any(s.startswith("{group}") for s in shortcuts)
    assert any(s.startswith("{userdesktop}") for s in shortcuts)
    assert "{commondesktop}" not in ISS.read_text(encoding="utf-8-sig")


def test_the_command_line_window_starts_where_carebook_cli_is():
    """The user guide has the worker type "carebook-cli restore ..." in 关爱簿命令行: the program
    folder is not on PATH, so the window must start in it for cmd to find carebook-cli."""
    shortcut = next(entry(line) for line in iss_sections()["Icons"] if "{cm:CommandLine}" in line)
    assert shortcut["Filename"] == "{cmd}"
    assert shortcut["WorkingDir"] == "{app}"


def test_uninstaller_keeps_the_data_and_says_where_it_is():
    text = ISS.read_text(encoding="utf-8-sig")
    assert "UninstallDelete" not in text
    # The folder named to the user is the one carebook writes to on Windows (platformdirs).
    assert f"{{localappdata}}\\{APP_NAME}" in text
    assert "CAREBOOK_HOME" in text
    message = next(line for line in iss_sections()["CustomMessages"] if ".DataKept=" in line)
    assert "没有删除" in message and "%1" in message and "backups" in message


def test_the_linux_package_points_at_what_it_ships():
    desktop = (LINUX / "carebook.desktop").read_text(encoding="utf-8")
    assert "Exec=@EXEC@" in desktop and "Icon=carebook" in desktop
    assert "MimeType" not in desktop  # no file associations on Linux either
    install = (LINUX / "install.sh").read_text(encoding="utf-8")
    for exe in spec_facts()["exes"]:
        assert f'"$APP_DIR/{exe}"' in install
    assert "sudo" not in install and "/usr/" not in install  # the user's own menu only


@pytest.mark.parametrize("name", ["carebook.iss"])
def test_iss_is_utf8_with_bom_so_inno_setup_reads_the_chinese(name):
    assert (ISS.parent / name).read_bytes().startswith(b"\xef\xbb\xbf")
