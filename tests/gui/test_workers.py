"""Jobs run off the GUI thread: results come back, failures are reported, cancel rolls back."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from carebook.gui.workers import JobRunner, start_job
from carebook.services.children import register_child
from carebook.services.errors import ServiceError
from carebook.services.progress import Progress
from carebook.services.stats import register_stats
from tests.conftest import TODAY, child_facts


def counting_job(n: int):
    for i in range(n):
        yield Progress(i + 1, n, f"第 {i + 1} 步")
    return n * 10


def test_result_comes_back_to_the_gui_thread(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[object] = []
    seen_thread: list[threading.Thread] = []
    start_job(
        parent,
        lambda: counting_job(5),
        title="测试",
        on_done=lambda r: (results.append(r), seen_thread.append(threading.current_thread())),
        on_failed=lambda e: results.append(e),
    )
    # The job may end before any wait could begin, so wait on what it hands back.
    qtbot.waitUntil(lambda: results == [50], timeout=5000)
    assert seen_thread == [threading.main_thread()]


def test_a_failure_is_handed_over_not_raised(qtbot) -> None:
    def failing():
        yield Progress(0, 1)
        raise ServiceError("出错了")

    runner = JobRunner(failing)
    with qtbot.waitSignal(runner.signals.failed, timeout=5000) as caught:
        runner.run()
    assert isinstance(caught.args[0], ServiceError)


def test_cancel_closes_the_job_and_its_transaction_rolls_back(qtbot, db) -> None:
    def writing_job():
        with db.transaction():
            register_child(db, child_facts(), today=TODAY)  # its own committed transaction
        with db.transaction() as session:
            from carebook.storage.tables import Child

            session.query(Child).update({"notes": "未完成"})
            yield Progress(1, 2, "写了一半")
            yield Progress(2, 2)

    runner = JobRunner(writing_job)
    runner.signals.progress.connect(lambda *_: runner.cancel())
    with qtbot.waitSignal(runner.signals.cancelled, timeout=5000):
        runner.run()
    assert register_stats(db).total == 1
    with db.reading() as session:
        from carebook.storage.tables import Child

        assert session.query(Child.notes).scalar() == ""


def test_ending_the_application_cancels_running_jobs_and_waits_for_them(qtbot) -> None:
    from PySide6.QtCore import QThreadPool

    from carebook.gui.workers import stop_jobs

    parent = QWidget()
    qtbot.addWidget(parent)
    started, ended = threading.Event(), threading.Event()

    def endless():
        try:
            while True:
                started.set()
                yield Progress(0, 0, "还在算")
                threading.Event().wait(0.01)
        finally:
            ended.set()  # what a transaction's rollback would run on close()

    pool = QThreadPool()
    start_job(parent, endless, title="测试", on_done=print, on_failed=print, pool=pool)
    assert started.wait(5)
    assert stop_jobs(pool, timeout_ms=5000)
    assert ended.is_set() and pool.activeThreadCount() == 0
    qtbot.waitUntil(lambda: not _running_jobs(), timeout=5000)  # the cancel reached the GUI


def _running_jobs():
    from carebook.gui import workers

    return workers._running
