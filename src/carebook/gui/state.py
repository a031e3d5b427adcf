"""What every page is handed: the open workspace, plus helpers to tell the user about errors."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from carebook.domain.errors import DomainError
from carebook.i18n import tr
from carebook.services.errors import ServiceError
from carebook.storage.errors import StorageError

USER_ERRORS = (ServiceError, DomainError, StorageError)


def show_error(parent: QWidget | None, error: Exception) -> None:
    """One clear sentence for an error a user can act on."""
    message = getattr(error, "message", None) or str(error)
    QMessageBox.warning(parent, tr("关爱簿"), message)
