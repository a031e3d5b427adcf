"""The bundle on a PostgreSQL server: demo, statistics and a ledger import through its own psycopg.

installers/smoke_test.py calls steps() once the SQLite steps are done. The cluster is the tests'
throwaway one (tests/storage/postgres_server.py, on loopback with its own port); only the bundled
carebook-cli talks to it, with no Python on PATH, so what passes here is the installed program's
PostgreSQL driver and libpq, not the virtualenv's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_CHILDREN = 30


def steps(bundle, failure: type[Exception], make_ledger: Callable[[Path], int]) -> None:
    """Run the PostgreSQL steps, or record NOT PRESENT when this machine has no server."""
    sys.path.insert(0, str(ROOT))
    from tests.storage.postgres_server import postgres_bin, postgres_cluster

    name = "PostgreSQL: demo, stats --json, import"
    if postgres_bin() is None:
        bundle.not_present(name, "no PostgreSQL server binaries here (apt-get install postgresql)")
        return
    # Not under the bundle's work folder: that is private to the user running the smoke test,
    # while the cluster runs as "postgres" when that user is root.
    folder = Path(tempfile.mkdtemp(prefix="carebook-bundle-pg-"))
    try:
        with postgres_cluster(folder) as url:
            _on_server(bundle, url, failure, make_ledger)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:  # no cluster started
        bundle.record(name, "FAIL", f"throwaway PostgreSQL cluster: {exc}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stats(bundle, failure: type[Exception], *db: str) -> dict:
    """stats --json, checked for sums that must hold on any county."""
    data = json.loads(bundle.run(*db, "stats", "--json"))
    children = data["children"]
    total = children["total"]
    if children["in_register"] + children["exited"] != total:
        raise failure(f"in register + exited != total in {children}")
    if sum(children["by_village"].values()) != children["in_register"]:
        raise failure(f"villages do not add up to the register: {children['by_village']}")
    return data


def _on_server(bundle, url: str, failure: type[Exception], make_ledger) -> None:
    home = Path(bundle.env["CAREBOOK_HOME"])
    server = url.rsplit("@", 1)[-1]

    def demo() -> str:
        out = bundle.run("--db", url, "demo", "--children", str(DEMO_CHILDREN))
        return f"{server}: {out.strip().splitlines()[-1]}"

    def stats() -> str:
        data = _stats(bundle, failure, "--db", url)
        total = data["children"]["total"]
        if total != DEMO_CHILDREN:
            raise failure(f"stats counted {total} children, demo made {DEMO_CHILDREN}")
        if not (data["volunteers"] and data["pairings_active"] and data["visits"]):
            raise failure(f"the demo county has no care work on the server: {data}")
        return (
            f"{total} children ({data['children']['in_register']} on the register), "
            f"{data['volunteers']} volunteers, {data['visits']} visits"
        )

    def import_ledger() -> str:
        ledger = bundle.work / "pg-ledger.xlsx"
        rows = make_ledger(ledger)
        before = set(home.rglob("*")) if home.exists() else set()
        bundle.run("--db", url, "import", str(ledger))
        again = bundle.run("--db", url, "import", str(ledger))
        # CAREBOOK_DB names the database as well as --db does (how a county's shortcut may).
        env_before = dict(bundle.env)
        bundle.env["CAREBOOK_DB"] = url
        try:
            data = _stats(bundle, failure)
        finally:
            bundle.env = env_before
        total = data["children"]["total"]
        if total != DEMO_CHILDREN + rows:
            raise failure(f"{total} children after importing {rows} into {DEMO_CHILDREN}")
        if f"新增 0，更新 0，无变化 {rows}" not in again:
            raise failure(f"importing the same ledger again changed something: {again.strip()}")
        made = sorted(p.name for p in set(home.rglob("*")) - before if p.is_file())
        if any(name.endswith(".db") for name in made):
            raise failure(f"the import wrote database files on this computer: {made}")
        return f"{rows} children imported, re-import changed nothing, no file backup made"

    bundle.step("PostgreSQL demo (bundled psycopg)", demo)
    bundle.step("PostgreSQL stats --json", stats)
    bundle.step("PostgreSQL import (and CAREBOOK_DB)", import_ledger)
