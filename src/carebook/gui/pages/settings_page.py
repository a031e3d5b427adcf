"""设置: the worker, the place, language, text size and privacy, saved to the settings file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.dialogs.font_picker import FontPickerField
from carebook.gui.state import USER_ERRORS, show_error
from carebook.i18n import tr
from carebook.services.backup import server_restore_refused
from carebook.services.privacy import record_masking_choice
from carebook.services.workspace import Workspace
from carebook.settings import split_villages

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}


class SettingsPage(QWidget):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{tr('设置')}</h2>"))
        form = QFormLayout()
        self.worker = QLineEdit()
        self.county = QLineEdit()
        self.township = QLineEdit()
        self.villages = QLineEdit()
        self.villages.setPlaceholderText(tr("多个村用顿号分隔，如：东村、西村"))
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.font_scale = QDoubleSpinBox()
        self.font_scale.setRange(0.8, 2.0)
        self.font_scale.setSingleStep(0.1)
        self.mask = QCheckBox(tr("默认隐藏身份证号和电话号码的中间部分"))
        self.pseudo = QCheckBox(tr("伪翻译：把界面文字拉长，检查是否放得下（供翻译和开发人员用）"))
        self.pdf_font = FontPickerField()
        form.addRow(tr("工作人员姓名"), self.worker)
        form.addRow(tr("县（市、区）"), self.county)
        form.addRow(tr("乡镇（街道）"), self.township)
        form.addRow(tr("负责的村（社区）"), self.villages)
        form.addRow(tr("界面语言"), self.language)
        form.addRow("", self.pseudo)
        form.addRow(tr("文字大小倍数"), self.font_scale)
        form.addRow(tr("隐私"), self.mask)
        form.addRow(tr("打印字体文件"), self.pdf_font)
        self.rules_button = QPushButton(tr("走访规则…"))
        form.addRow(tr("走访频次"), self.rules_button)
        layout.addLayout(form)
        self.save_button = QPushButton(tr("保存设置"))
        # Beside the daily copy in the data folder: one onto a USB stick, without a terminal.
        self.backup_button = QPushButton(tr("备份数据库…"))
        # Back to the copy taken before an import or merge that went wrong, without a terminal.
        self.restore_button = QPushButton(tr("从备份恢复…"))
        on_server = self.workspace.db.file is None
        self.restore_button.setEnabled(not on_server)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch()
        layout.addLayout(buttons)
        if on_server:  # why 从备份恢复 is grey, and what 备份 does with the county's data
            self.restore_button.setToolTip(server_restore_refused())
            self.server_note = QLabel(
                tr(
                    "数据保存在数据库服务器 {server}。“备份数据库”把服务器上的全部数据复制成本机的"
                    "关爱簿文件，可用关爱簿打开查看；服务器的恢复请县里管理数据库的人员完成。",
                    server=self.workspace.db.server,
                )
            )
            self.server_note.setWordWrap(True)
            layout.addWidget(self.server_note)
        layout.addWidget(QLabel(tr("数据文件夹：{path}", path=self.workspace.paths.data_dir)))
        layout.addStretch()

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self.save)
        self.rules_button.clicked.connect(self.edit_visit_rules)
        self.backup_button.clicked.connect(self.back_up)
        self.restore_button.clicked.connect(self.restore)

    def _load(self) -> None:
        s = self.workspace.settings
        self.worker.setText(s.worker_name)
        self.county.setText(s.county)
        self.township.setText(s.township)
        self.villages.setText("、".join(s.villages))
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self.pseudo.setChecked(s.pseudo_translation)
        self.font_scale.setValue(s.font_scale)
        self.mask.setChecked(s.mask_personal_numbers)
        self.pdf_font.setText(s.pdf_font)

    def edit_visit_rules(self) -> None:
        from carebook.gui.dialogs.visit_rules_dialog import VisitRulesDialog

        VisitRulesDialog(self.workspace, self).exec()

    def back_up(self) -> None:
        from datetime import date

        from carebook.gui.workers import start_job
        from carebook.services.backup import backup_job

        suggested = Path.home() / f"关爱簿备份-{date.today():%Y%m%d}.db"
        name, _ = QFileDialog.getSaveFileName(
            self, tr("备份数据库"), str(suggested), tr("关爱簿数据库 (*.db)")
        )
        if not name:
            return
        workspace = self.workspace

        def done(path: object) -> None:
            QMessageBox.information(self, tr("关爱簿"), tr("已备份到 {path}", path=path))

        def failed(error: Exception) -> None:
            if isinstance(error, (OSError, *USER_ERRORS)):
                show_error(self, error)
            else:
                raise error

        # A county server's data takes a while to copy (seconds at 20,000 children): off the
        # GUI thread, with 取消.
        self._backup = start_job(
            self,
            lambda: backup_job(
                workspace.db,
                workspace.paths.backups_dir,
                dest=Path(name),
                origin=workspace.origin("窗口"),
            ),
            title=tr("备份数据库"),
            on_done=done,
            on_failed=failed,
        )

    def restore(self) -> None:
        """Put a backup in place of the data, then end the program: every page read the data
        being replaced, and opening afresh is the one way none of them shows it any more."""
        from carebook.gui.workers import stop_jobs
        from carebook.services.backup import restore_and_record

        backups = self.workspace.paths.backups_dir
        name, _ = QFileDialog.getOpenFileName(
            self, tr("选择要恢复的备份"), str(backups), tr("关爱簿数据库 (*.db)")
        )
        if not name:
            return
        answer = QMessageBox.question(
            self,
            tr("从备份恢复"),
            tr(
                "用备份“{name}”替换现在的全部数据吗？\n现在的数据会先另存一份备份。"
                "恢复后关爱簿会关闭，请再打开。",
                name=Path(name).name,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        stop_jobs()  # no page may still be reading the file that is replaced
        try:
            aside = restore_and_record(
                self.workspace.db, Path(name), backups, self.workspace.origin("窗口")
            )
        except (OSError, *USER_ERRORS) as error:
            show_error(self, error)
            if self.workspace.db.closed:  # failed while copying: the data must be opened anew
                QApplication.quit()
            return
        QMessageBox.information(
            self,
            tr("关爱簿"),
            tr(
                "已从 {src} 恢复；恢复前的数据库已另存为 {aside}。\n关爱簿现在关闭，请再打开。",
                src=Path(name).name,
                aside=aside,
            ),
        )
        QApplication.quit()

    def save(self) -> None:
        s = self.workspace.settings
        language_changed = (s.language, s.pseudo_translation) != (
            self.language.currentData(),
            self.pseudo.isChecked(),
        )
        scale_changed = round(self.font_scale.value(), 2) != s.font_scale
        s.worker_name = self.worker.text().strip()
        s.county = self.county.text().strip()
        s.township = self.township.text().strip()
        # As in the welcome: a Chinese keyboard types "东村，西村" (a full-width comma).
        s.villages = split_villages(self.villages.text())
        s.language = self.language.currentData()
        s.pseudo_translation = self.pseudo.isChecked()
        s.font_scale = round(self.font_scale.value(), 2)
        masking_changed = s.mask_personal_numbers != self.mask.isChecked()
        s.mask_personal_numbers = self.mask.isChecked()
        s.pdf_font = self.pdf_font.text().strip()
        self.workspace.save_settings()
        if masking_changed:  # signed by the worker just saved, as every later action is
            record_masking_choice(
                self.workspace.db, self.workspace.origin("设置"), s.mask_personal_numbers
            )
        note = tr("设置已保存。")
        if language_changed:
            note += tr("界面语言将在重新打开程序后生效。")
        if scale_changed:  # the whole window's fonts are set once, when the program starts
            note += tr("文字大小将在重新打开程序后生效。")
        QMessageBox.information(self, tr("关爱簿"), note)
