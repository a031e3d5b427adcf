"""Relaxed garbage collection lasts as long as the bulk jobs and no longer."""

from __future__ import annotations

import gc

import pytest

from carebook.services.collecting import fewer_collections
from carebook.services.ledger_import import ImportOptions, build_plan
from carebook.services.progress import run_to_end
from tests.conftest import TODAY
from tests.exchange.builders import ledger_rows, write_xlsx


def test_thresholds_come_back_after_nested_jobs_and_failures() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        relaxed = gc.get_threshold()
        assert relaxed[0] > before[0]
        with pytest.raises(ValueError), fewer_collections():
            raise ValueError
        assert gc.get_threshold() == relaxed  # the outer job still runs
    assert gc.get_threshold() == before


def test_a_closed_or_finished_import_job_restores_them(db, tmp_path) -> None:
    before = gc.get_threshold()
    path = write_xlsx(tmp_path / "a.xlsx", ledger_rows(3))
    job = build_plan(db, path, ImportOptions(today=TODAY))
    next(job)
    assert gc.get_threshold() != before
    job.close()
    assert gc.get_threshold() == before
    run_to_end(build_plan(db, path, ImportOptions(today=TODAY)))
    assert gc.get_threshold() == before
