"""Print entry points the pages call: each runs its job off the GUI thread, then shows a preview.

The children list, a child's file, the due lists, the visits page and an activity call these;
every one returns the JobRunner (or dialog) so a caller or a test can follow it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from carebook.gui.dialogs.paper_visit_entry import PaperVisitEntryDialog
from carebook.gui.dialogs.print_preview import PrintPreviewDialog
from carebook.gui.print_files import new_print_folder, remove_print_folder
from carebook.gui.state import show_error
from carebook.gui.workers import JobRunner, start_job
from carebook.i18n import tr
from carebook.services import printing as jobs
from carebook.services.privacy import record_saved_print
from carebook.services.progress import Job
from carebook.services.schedule import DueQuery
from carebook.services.workspace import Workspace

AUDIT_SOURCE = "界面打印"
# Running jobs, held here until they end: a caller may drop the runner, and its signals object
# must outlive the job or its result never reaches the GUI thread.
_running: set[JobRunner] = set()


def print_options(
    workspace: Workspace, *, full_ids: bool = False, full_phones: bool = False
) -> jobs.PrintOptions:
    return jobs.PrintOptions.from_settings(
        workspace.settings,
        workspace.origin(AUDIT_SOURCE),
        full_ids=full_ids,
        full_phones=full_phones,
    )


def _temporary_pdf(name: str) -> Path:
    # A private folder (mode 0700): the PDF holds children's data and is removed on close.
    return new_print_folder() / name


def _run(
    parent: QWidget,
    workspace: Workspace,
    title: str,
    file_name: str,
    make_job: Callable[[Path], Job[jobs.PrintResult]],
    on_preview: Callable[[PrintPreviewDialog], None] | None = None,
) -> JobRunner:
    target = _temporary_pdf(file_name)

    def done(result: object) -> None:
        assert isinstance(result, jobs.PrintResult)
        dialog = PrintPreviewDialog(
            parent,
            result.path,
            title=tr("{title}（共 {pages} 页）", title=title, pages=result.pages),
            suggested_name=file_name,
            note=result.font_note,
        )
        dialog.setObjectName("print-preview")
        dialog.saved.connect(
            lambda saved: record_saved_print(
                workspace.db, workspace.origin(AUDIT_SOURCE), title, result.path, saved
            )
        )
        dialog.open()
        if on_preview is not None:
            on_preview(dialog)

    def failed(error: Exception) -> None:
        _remove_folder(target.parent)
        show_error(parent, error)

    runner = start_job(
        parent,
        lambda: make_job(target),
        title=tr("正在生成：{t}", t=title),
        on_done=done,
        on_failed=failed,
    )
    runner.signals.cancelled.connect(lambda: _remove_folder(target.parent))
    _running.add(runner)
    for ended in (runner.signals.finished, runner.signals.failed, runner.signals.cancelled):
        ended.connect(lambda *_: _running.discard(runner))
    return runner


def _remove_folder(folder: Path) -> None:
    """The private folder of a print that failed or was cancelled."""
    remove_print_folder(folder)


def _stamp() -> str:
    return date.today().strftime("%Y%m%d")


def print_visit_sheets_for(
    parent: QWidget,
    workspace: Workspace,
    child_uids: Sequence[str],
    *,
    full_ids: bool = False,
    full_phones: bool = False,
    on_preview: Callable[[PrintPreviewDialog], None] | None = None,
) -> JobRunner:
    """Blank visit sheets for the chosen children (a selection in the list, or one child)."""
    options = print_options(workspace, full_ids=full_ids, full_phones=full_phones)
    uids = list(child_uids)

    def job(target: Path) -> Job[jobs.PrintResult]:
        ids = jobs.select_children(workspace.db, keys=uids)
        return (yield from jobs.visit_sheets(workspace.db, target, ids, options))

    return _run(parent, workspace, tr("走访记录表"), f"走访记录表-{_stamp()}.pdf", job, on_preview)


def print_visit_record(
    parent: QWidget,
    workspace: Workspace,
    visit_uid: str | Sequence[str],
    *,
    on_preview: Callable[[PrintPreviewDialog], None] | None = None,
) -> JobRunner:
    """Logged visits (one, or a family visit's) on the sheet's layout, for the paper archive."""
    options = print_options(workspace)
    return _run(
        parent,
        workspace,
        tr("走访记录（存档）"),
        f"走访记录-{_stamp()}.pdf",
        lambda target: jobs.visit_record(workspace.db, target, visit_uid, options),
        on_preview,
    )


def open_case_file(
    parent: QWidget,
    workspace: Workspace,
    child_uid: str,
    *,
    full_ids: bool = False,
    full_phones: bool = False,
    on_preview: Callable[[PrintPreviewDialog], None] | None = None,
) -> JobRunner:
    """一人一档 of one child, previewed and ready to print."""
    options = print_options(workspace, full_ids=full_ids, full_phones=full_phones)
    return _run(
        parent,
        workspace,
        tr("儿童档案"),
        f"儿童档案-{_stamp()}.pdf",
        lambda target: jobs.case_file(workspace.db, target, child_uid, options),
        on_preview,
    )


def print_roster(
    parent: QWidget,
    workspace: Workspace,
    *,
    village: str | None = None,
    township: str | None = None,
    on_preview: Callable[[PrintPreviewDialog], None] | None = None,
) -> JobRunner:
    options = print_options(workspace)
    place = village or township or tr("全部")
    return _run(
        parent,
        workspace,
        tr("花名册"),
        f"花名册-{place}-{_stamp()}.pdf",
        lambda target: jobs.roster(
            workspace.db, target, options, village=village, township=township
        ),
        on_preview,
    )


def print_due_list(
    parent: QWidget,
    workspace: Workspace,
    query: DueQuery,
    *,
    volunteer_label: str = "",
    on_preview: Callable[[PrintPreviewDialog], None] | None = None,
) -> JobRunner:
    """The due list query gives (the page's own), titled with volunteer_label if hers."""
    options = print_options(workspace)
    return _run(
        parent,
        workspace,
        tr("待走访名单"),
        f"待走访名单-{_stamp()}.pdf",
        lambda target: jobs.due_list(workspace.db, target, options, query, volunteer_label),
        on_preview,
    )


def print_sign_in(
    parent: QWidget,
    workspace: Workspace,
    activity_uid: str,
    *,
    on_preview: Callable[[PrintPreviewDialog], None] | None = None,
) -> JobRunner:
    options = print_options(workspace)
    return _run(
        parent,
        workspace,
        tr("签到表"),
        f"签到表-{_stamp()}.pdf",
        lambda target: jobs.sign_in(workspace.db, target, activity_uid, options),
        on_preview,
    )


def enter_paper_visit(
    parent: QWidget, workspace: Workspace, open_visit_form: Callable[[str], bool | None]
) -> PaperVisitEntryDialog:
    """走访 → 录入纸质走访表: find the child from the sheet's code, then open its visit form
    (True when its visit was saved), sheet after sheet."""
    dialog = PaperVisitEntryDialog(parent, workspace, open_visit_form)
    dialog.open()
    return dialog
