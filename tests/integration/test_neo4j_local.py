"""The bundled Neo4j (neo4j-embedded + graphmap.neo4j_local) is a real server.

These tests start real JVMs (a few seconds each), so they are integration
tests: persistence across restarts, the french full-text analyzer, the
detached CLI cycle, and no java process left behind.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graphmap import neo4j_local
from graphmap.neo4j_local import (
    LocalNeo4j,
    Neo4jLocalError,
    ensure_built,
    start_detached,
    status_detached,
    stop_detached,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

# Small sizes: the tests run on 2-core CI machines next to other JVMs.
HEAP = "512m"
PAGECACHE = "64m"

FULLTEXT = (
    "CREATE FULLTEXT INDEX t IF NOT EXISTS FOR (n:Actor) ON EACH [n.name] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'french'}}"
)


@pytest.fixture(scope="module", autouse=True)
def _built() -> None:
    if shutil.which("java") is None:
        pytest.skip("java not installed")
    ensure_built()


def _java_processes_on(data_dir: Path) -> list[int]:
    """Pids of EmbeddedNeo4j JVMs whose --data-dir is ``data_dir``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        if state == "Z":
            continue
        if neo4j_local.MAIN_CLASS.encode() in args and str(data_dir).encode() in args:
            found.append(int(proc.name))
    return found


def _run(uri: str, query: str, **params: object) -> list[dict[str, object]]:
    with GraphDatabase.driver(uri, auth=("neo4j", "any-password")) as driver:
        records, _, _ = driver.execute_query(query, params)
        return [r.data() for r in records]


def test_local_server_persists_data_and_supports_french_fulltext(tmp_path: Path) -> None:
    data_dir = tmp_path / "db"
    server = LocalNeo4j(data_dir, heap=HEAP, pagecache=PAGECACHE)
    t0 = time.monotonic()
    with server:
        cold = time.monotonic() - t0
        uri = server.uri
        assert uri.startswith("bolt://127.0.0.1:")
        pid = server.pid
        assert pid is not None and server.running
        _run(uri, "CREATE (:Actor {name: $name})", name="Les associations régionales")
        _run(uri, FULLTEXT)
        _run(uri, "CALL db.awaitIndexes(60)")
        # The french analyzer stems "associations" and "association" alike.
        hits = _run(
            uri,
            "CALL db.index.fulltext.queryNodes('t', 'association') YIELD node "
            "RETURN node.name AS name",
        )
        assert hits == [{"name": "Les associations régionales"}]
        options = _run(uri, "SHOW INDEXES YIELD name, options WHERE name = 't' RETURN options")
        assert options[0]["options"]["indexConfig"]["fulltext.analyzer"] == "french"
        version = _run(uri, "CALL dbms.components() YIELD versions RETURN versions[0] AS v")
        assert str(version[0]["v"]).startswith("5.26.")
    assert not server.running
    assert _java_processes_on(data_dir) == []
    with pytest.raises(Neo4jLocalError):
        _ = server.uri

    # Same data dir, fresh JVM: the node and the index are still there.
    t0 = time.monotonic()
    with LocalNeo4j(data_dir, heap=HEAP, pagecache=PAGECACHE) as again:
        warm = time.monotonic() - t0
        assert _run(again.uri, "MATCH (a:Actor) RETURN a.name AS name") == [
            {"name": "Les associations régionales"}
        ]
        _run(again.uri, "CALL db.awaitIndexes(60)")
        assert _run(
            again.uri,
            "CALL db.index.fulltext.queryNodes('t', 'régionale') YIELD node RETURN count(*) AS n",
        ) == [{"n": 1}]
    assert _java_processes_on(data_dir) == []
    print(f"\nstart to ready: cold data dir {cold:.1f}s, warm {warm:.1f}s")


def test_old_transaction_logs_are_not_kept(tmp_path: Path) -> None:
    """Neo4j's default kept two days of transaction logs: about 1 GB per
    400k-row import. Logs older than the last checkpoint (taken at least at
    every stop) are now removed."""
    data_dir = tmp_path / "db"
    logs = data_dir / "data" / "transactions" / "neo4j"
    with LocalNeo4j(data_dir, heap=HEAP, pagecache=PAGECACHE) as server:
        for _ in range(6):  # 120 MB of log: past one 64 MB rotation
            _run(server.uri, "UNWIND range(1, 500) AS i CREATE (:Blob {t: $t + i})", t="x" * 40000)
        written = sorted(p.name for p in logs.glob("neostore.transaction.db.*"))
        assert "neostore.transaction.db.0" in written and len(written) >= 2
    kept = sorted(p.name for p in logs.glob("neostore.transaction.db.*"))
    assert "neostore.transaction.db.0" not in kept and len(kept) <= 2
    with LocalNeo4j(data_dir, heap=HEAP, pagecache=PAGECACHE) as again:  # nothing lost
        assert _run(again.uri, "MATCH (b:Blob) RETURN count(b) AS n") == [{"n": 3000}]


def test_detached_start_status_stop(tmp_path: Path) -> None:
    data_dir = tmp_path / "detached"
    assert status_detached(data_dir) is None
    assert stop_detached(data_dir) is False

    pid = start_detached(data_dir, heap=HEAP, pagecache=PAGECACHE)
    try:
        uri = status_detached(data_dir)
        assert uri is not None and uri.startswith("bolt://127.0.0.1:")
        assert (data_dir / neo4j_local.PID_NAME).read_text().strip() == str(pid)
        assert (data_dir / neo4j_local.URI_NAME).read_text().strip() == uri
        assert _java_processes_on(data_dir) == [pid]
        assert _run(uri, "RETURN 1 AS one") == [{"one": 1}]

        # Twice on one data dir is refused, attached or detached.
        with pytest.raises(Neo4jLocalError, match="already runs"):
            start_detached(data_dir, heap=HEAP, pagecache=PAGECACHE)
        with pytest.raises(Neo4jLocalError, match="already runs"):
            LocalNeo4j(data_dir, heap=HEAP, pagecache=PAGECACHE).start()
    finally:
        stopped = stop_detached(data_dir)
    assert stopped is True
    assert status_detached(data_dir) is None
    assert not (data_dir / neo4j_local.PID_NAME).exists()
    assert _java_processes_on(data_dir) == []
    assert stop_detached(data_dir) is False


def test_stale_pid_file_is_detected(tmp_path: Path) -> None:
    data_dir = tmp_path / "stale"
    data_dir.mkdir()
    # Our own pid is alive but is not an EmbeddedNeo4j: a reused pid.
    (data_dir / neo4j_local.PID_NAME).write_text(f"{os.getpid()}\n")
    (data_dir / neo4j_local.URI_NAME).write_text("bolt://127.0.0.1:1\n")
    assert status_detached(data_dir) is None
    assert not (data_dir / neo4j_local.PID_NAME).exists()
    assert not (data_dir / neo4j_local.URI_NAME).exists()
    (data_dir / neo4j_local.PID_NAME).write_text("not a pid\n")
    assert stop_detached(data_dir) is False
    assert not (data_dir / neo4j_local.PID_NAME).exists()


def test_start_failure_reports_the_log(tmp_path: Path) -> None:
    data_dir = tmp_path / "busy"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        server = LocalNeo4j(data_dir, port=port, heap=HEAP, pagecache=PAGECACHE)
        with pytest.raises(Neo4jLocalError, match="before it was ready") as err:
            server.start()
    assert str(port) in str(err.value) or "in use" in str(err.value).lower()
    assert not server.running
    assert _java_processes_on(data_dir) == []


def test_warm_ensure_built_is_a_noop() -> None:
    t0 = time.monotonic()
    ensure_built()
    assert time.monotonic() - t0 < 1.0


def test_server_exits_when_its_owner_dies(tmp_path: Path) -> None:
    """A SIGKILLed parent closes the stdin pipe; the JVM must not linger."""
    data_dir = tmp_path / "orphan"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from graphmap.neo4j_local import LocalNeo4j\n"
        f"s = LocalNeo4j(Path({str(data_dir)!r}), heap={HEAP!r}, pagecache={PAGECACHE!r})\n"
        "s.start()\n"
        "print(s.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    owner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        java_pid = int(owner.stdout.readline())
        assert _java_processes_on(data_dir) == [java_pid]
    finally:
        owner.kill()
        owner.wait()
    deadline = time.monotonic() + 30
    while _java_processes_on(data_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _java_processes_on(data_dir) == []
    # It shut down cleanly (shutdown hook), not killed.
    assert "stdin closed" in (data_dir / neo4j_local.LOG_NAME).read_text()
