"""Run any progress-yielding job on the thread pool, with progress and cancel handed to the GUI."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from carebook.gui.state import USER_ERRORS
from carebook.i18n import tr
from carebook.services.progress import Job

log = logging.getLogger(__name__)


class JobSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class JobRunner(QRunnable):
    """Drives job_factory() to the end off the GUI thread; closing the generator cancels it."""

    def __init__(self, job_factory: Callable[[], Job]) -> None:
        super().__init__()
        # The pool must not delete the runnable (and its signals) from the worker thread while
        # queued signals still point at them; start_job keeps it alive until the job has ended.
        self.setAutoDelete(False)
        self.signals = JobSignals()
        self._factory = job_factory
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            job = self._factory()
            while True:
                if self._cancel.is_set():
                    # close() raises GeneratorExit inside the job: its transaction rolls back.
                    job.close()
                    self.signals.cancelled.emit()
                    return
                try:
                    step = next(job)
                except StopIteration as stop:
                    self.signals.finished.emit(stop.value)
                    return
                self.signals.progress.emit(step.done, step.total, step.message)
        except USER_ERRORS as exc:
            self.signals.failed.emit(exc)
        except Exception as exc:
            log.exception("background job failed")
            self.signals.failed.emit(exc)


_running: set[JobRunner] = set()


def start_job(
    parent: QWidget,
    job_factory: Callable[[], Job],
    *,
    title: str,
    on_done: Callable[[object], None],
    on_failed: Callable[[Exception], None],
    pool: QThreadPool | None = None,
) -> JobRunner:
    """Start a job with a modal progress dialog whose 取消 button cancels it."""
    runner = JobRunner(job_factory)
    dialog = QProgressDialog(title, tr("取消"), 0, 0, parent)
    dialog.setWindowTitle(tr("关爱簿"))
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(runner.cancel)

    def progress(done: int, total: int, message: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        if message:
            dialog.setLabelText(f"{title}\n{message}")

    def finish(result: object) -> None:
        dialog.reset()
        on_done(result)

    def fail(error: Exception) -> None:
        dialog.reset()
        on_failed(error)

    _running.add(runner)
    for signal in (runner.signals.finished, runner.signals.failed, runner.signals.cancelled):
        signal.connect(lambda *_: _running.discard(runner))
    runner.signals.progress.connect(progress)
    runner.signals.finished.connect(finish)
    runner.signals.failed.connect(fail)
    runner.signals.cancelled.connect(dialog.reset)
    (pool or QThreadPool.globalInstance()).start(runner)
    return runner


def stop_jobs(pool: QThreadPool | None = None, timeout_ms: int = 30_000) -> bool:
    """The application is ending: cancel every running job and wait for the pool to finish.

    A cancelled job's transaction rolls back, so nothing half-written is left and the database
    is not closed under a job still using it; the register's loaders only read and end soon.
    Returns whether everything ended within the time allowed.
    """
    for runner in list(_running):
        runner.cancel()
    return (pool or QThreadPool.globalInstance()).waitForDone(timeout_ms)
