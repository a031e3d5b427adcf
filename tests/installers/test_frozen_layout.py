"""Resources, migrations and portable mode resolve inside a bundle the way they do from source."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

from carebook import paths
from carebook.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]


def test_resources_resolve_under_the_bundle_when_frozen(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("i18n", "en.json") == tmp_path / "carebook/resources/i18n/en.json"


def test_resources_resolve_in_the_source_tree():
    assert resource_path("i18n", "en.json").exists()
    assert resource_path("icons", "carebook.svg").exists()


def _frozen_at(monkeypatch, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "carebook.exe"))
    monkeypatch.delenv("CAREBOOK_HOME", raising=False)


def test_a_marker_beside_the_executable_keeps_everything_beside_it(monkeypatch, tmp_path):
    stick = tmp_path / "U盘" / "carebook"
    _frozen_at(monkeypatch, stick)
    (stick / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    found = paths.app_paths()
    assert found.portable
    assert found.data_dir == stick / paths.PORTABLE_FOLDER
    for place in (found.default_database, found.settings_file, found.backups_dir, found.log_file):
        assert place.is_relative_to(stick / paths.PORTABLE_FOLDER)
    assert paths.database_url(None).endswith("carebook-data/carebook.db")


def test_without_the_marker_data_goes_to_the_user_folder(monkeypatch, tmp_path):
    _frozen_at(monkeypatch, tmp_path / "app")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    found = paths.app_paths()
    assert not found.portable
    assert not found.data_dir.is_relative_to(tmp_path / "app")


def test_the_main_window_says_it_is_portable(monkeypatch, tmp_path, qtbot, db):
    from carebook.gui.main_window import MainWindow
    from carebook.services.workspace import Workspace, load_app_settings

    stick = tmp_path / "stick"
    _frozen_at(monkeypatch, stick)
    (stick / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    app_paths, settings = load_app_settings()
    window = MainWindow(Workspace(app_paths, settings, db))
    qtbot.addWidget(window)
    assert "便携模式" in window.windowTitle()
    assert str(stick / paths.PORTABLE_FOLDER) in window.windowTitle()


@pytest.mark.usefixtures("qapp")
def test_icon_script_renders_every_size_and_a_valid_ico(tmp_path):
    sys.path.insert(0, str(ROOT / "installers"))
    try:
        import make_icons
    finally:
        sys.path.remove(str(ROOT / "installers"))
    made = make_icons.render(tmp_path)
    ico = (tmp_path / "carebook.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.PNG_SIZES))
    for size in make_icons.PNG_SIZES:
        png = (tmp_path / f"carebook-{size}.png").read_bytes()
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (size, size)
    assert len(made) == len(make_icons.PNG_SIZES) + 1


def test_portable_mode_keeps_window_memory_beside_the_program(monkeypatch, tmp_path, qtbot, db):
    from carebook.gui import ui_settings
    from carebook.gui.main_window import MainWindow
    from carebook.services.workspace import Workspace, load_app_settings

    stick = tmp_path / "stick"
    _frozen_at(monkeypatch, stick)
    (stick / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    app_paths, settings = load_app_settings()
    ui_settings.keep_ui_settings_for(app_paths)
    try:
        window = MainWindow(Workspace(app_paths, settings, db))
        qtbot.addWidget(window)
        window.page("children").columns.save()  # the register's column choices
        window.close()  # saves its geometry
        stored = stick / paths.PORTABLE_FOLDER / ui_settings.UI_SETTINGS_FILE
        assert Path(ui_settings.ui_settings().fileName()) == stored
        kept = stored.read_text(encoding="utf-8")
        assert "geometry" in kept and "children_page" in kept
    finally:
        ui_settings._place.clear()
