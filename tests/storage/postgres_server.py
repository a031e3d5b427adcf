"""A throwaway PostgreSQL cluster on loopback for the tests marked postgres."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    # initdb refuses to run as root; CI runs as root, so the cluster belongs to "postgres".
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def postgres_cluster(folder: Path) -> Iterator[str]:
    """Start a cluster in folder and yield a SQLAlchemy URL to an empty database in it."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    data, sock = folder / "pgdata", folder / "pgsock"
    data.mkdir(parents=True)
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        for path in (data, sock):
            shutil.chown(path, "postgres")
    port = _free_port()
    run = lambda cmd: subprocess.run(_as_owner(cmd), check=True, capture_output=True)  # noqa: E731
    run([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "carebook", "-E", "UTF8"])
    options = f"-k {sock} -p {port} -h 127.0.0.1 -F"
    run(
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(data / "log"),
            "start",
        ]
    )
    try:
        run(
            [
                str(bin_dir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "carebook",
                "carebook",
            ]
        )
        yield f"postgresql+psycopg://carebook@127.0.0.1:{port}/carebook"
    finally:
        run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
