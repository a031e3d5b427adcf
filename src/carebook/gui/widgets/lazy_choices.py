"""A filter drop-down whose choices are read only when first wanted: listing every school of
a 100,000-child county costs a form a tenth of a second it need not spend on opening."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QWidget


class LazyChoices(QComboBox):
    """First item `everything` (data ""); the loader's names follow when the list is opened,
    focused (the arrows step through it) or scrolled."""

    def __init__(
        self, everything: str, loader: Callable[[], list[str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.addItem(everything, "")
        self._loader: Callable[[], list[str]] | None = loader

    @property
    def loaded(self) -> bool:
        return self._loader is None

    def load(self) -> None:
        if self._loader is None:
            return
        loader, self._loader = self._loader, None
        for name in loader():
            self.addItem(name, name)

    def showPopup(self) -> None:
        self.load()
        super().showPopup()

    def focusInEvent(self, event) -> None:
        self.load()
        super().focusInEvent(event)

    def wheelEvent(self, event) -> None:
        self.load()
        super().wheelEvent(event)
