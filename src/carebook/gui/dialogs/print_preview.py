"""The print preview: a PDF's pages on screen, with 打印 (the system print dialog) and 另存为PDF."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from carebook.gui.print_files import PREFIX, remove_print_folder
from carebook.gui.window_size import fit_to_screen
from carebook.i18n import tr

log = logging.getLogger(__name__)

try:  # QtPdf ships with PySide6 wheels, but a trimmed build may lack it
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the Qt build
    HAVE_QTPDF = False

MAX_PRINT_DPI = 300  # a page image at 300 dpi is sharp on paper and quick enough to send


class PrintPreviewDialog(QDialog):
    """Shows a finished PDF; deletes it on close when it was a temporary file."""

    saved = Signal(object)  # the Path a copy went to (另存为PDF): the caller audits it

    def __init__(
        self,
        parent: QWidget | None,
        pdf: Path,
        *,
        title: str,
        suggested_name: str,
        note: str = "",
        temporary: bool = True,
    ) -> None:
        super().__init__(parent)
        self.pdf = Path(pdf)
        self.suggested_name = suggested_name
        self.temporary = temporary
        self.note = note
        self.setWindowTitle(title)
        self.document = QPdfDocument(self) if HAVE_QTPDF else None
        if self.document is not None:
            self.document.load(str(self.pdf))
        self._build_ui()
        self._connect_signals()

    @property
    def page_count(self) -> int:
        return self.document.pageCount() if self.document is not None else 0

    def _build_ui(self) -> None:
        fit_to_screen(self, 900, 1000)
        layout = QVBoxLayout(self)
        if self.note:
            warning = QLabel(self.note)
            warning.setWordWrap(True)
            warning.setStyleSheet("background:#fff4ce; padding:6px; border:1px solid #e0c060;")
            layout.addWidget(warning)
        if self.document is not None:
            self.view = QPdfView(self)
            self.view.setDocument(self.document)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
            layout.addWidget(self.view, 1)
        else:
            self.view = QLabel(tr("本机的 Qt 不带 PDF 预览组件，请另存为 PDF 后用阅读器查看。"))
            layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.pages_label = QLabel(tr("共 {n} 页", n=self.page_count))
        self.whole_page_button = QPushButton(tr("整页"))
        self.fit_width_button = QPushButton(tr("适合宽度"))
        for button in (self.whole_page_button, self.fit_width_button):
            button.setEnabled(self.document is not None)
        self.print_button = QPushButton(tr("打印…"))
        self.save_button = QPushButton(tr("另存为PDF…"))
        self.close_button = QPushButton(tr("关闭"))
        for button in (self.print_button, self.save_button, self.close_button):
            button.setMinimumHeight(36)
        self.print_button.setDefault(True)
        self.print_button.setEnabled(self.document is not None and self.page_count > 0)
        buttons.addWidget(self.pages_label)
        buttons.addWidget(self.whole_page_button)
        buttons.addWidget(self.fit_width_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.print_button.clicked.connect(self.choose_printer)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        if self.document is not None:
            self.whole_page_button.clicked.connect(
                lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
            )
            self.fit_width_button.clicked.connect(
                lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            )
        self.finished.connect(self._cleanup)

    # -- actions -------------------------------------------------------------------------------

    def save_as(self) -> Path | None:
        start = str(Path.home() / self.suggested_name)
        name, _ = QFileDialog.getSaveFileName(self, tr("另存为PDF"), start, tr("PDF 文件 (*.pdf)"))
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        return self.save_to(target)

    def save_to(self, target: Path) -> Path | None:
        try:
            shutil.copyfile(self.pdf, target)
        except OSError as exc:
            QMessageBox.warning(
                self, tr("关爱簿"), tr("无法保存到 {path}：{error}", path=target, error=exc)
            )
            return None
        self.saved.emit(target)
        return target

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.page_count))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        first, last = 1, self.page_count
        if printer.printRange() == QPrinter.PrintRange.PageRange:
            first, last = printer.fromPage(), printer.toPage()
        self.print_to(printer, first, last)

    def print_to(self, printer: QPrinter, first: int = 1, last: int | None = None) -> int:
        """Send pages first..last (1-based) to printer as page images; returns pages sent."""
        if self.document is None:
            return 0
        last = self.page_count if last is None else min(last, self.page_count)
        total = last - first + 1
        progress = QProgressDialog(tr("正在发送到打印机…"), tr("取消"), 0, total, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, tr("关爱簿"), tr("打印机无法开始打印，请检查打印机。"))
            return 0
        sent = 0
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            for number in range(first - 1, last):
                if progress.wasCanceled():
                    break
                if sent:
                    printer.newPage()
                self._paint_page(painter, printer, number, dpi)
                sent += 1
                progress.setValue(sent)
                QApplication.processEvents()
        finally:
            painter.end()
            progress.reset()
        return sent

    def _paint_page(self, painter: QPainter, printer: QPrinter, number: int, dpi: int) -> None:
        points = self.document.pagePointSize(number)
        size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
        image: QImage = self.document.render(number, size)
        # Pages are drawn to the paper's full size: the PDF carries its own margins.
        target = printer.pageLayout().fullRectPixels(printer.resolution())
        painter.drawImage(target, image)

    def _cleanup(self) -> None:
        if self.document is not None:
            self.document.close()
        if self.temporary:
            try:
                self.pdf.unlink(missing_ok=True)
            except OSError:
                log.warning("could not remove the temporary print %s", self.pdf.name)
            if self.pdf.parent.name.startswith(PREFIX):
                remove_print_folder(self.pdf.parent)
