"""The Neo4j server graphmap starts by itself, with no Docker.

Why this module exists: graphmap only ever talks Bolt to ``NEO4J_URI`` through
the official driver (see design.md, "Neo4j, one code path, three ways to get a
server"). When no URI is configured we still want a *real* Neo4j (transactions,
constraints, full-text indexes), not a mock. ``neo4j-embedded/`` is a tiny
Maven module that runs Neo4j 5.26 LTS community embedded in its own JVM with
the Bolt connector on 127.0.0.1; this module builds it on first use, starts and
stops it, and hands back a ``bolt://`` URI, so the rest of graphmap cannot tell
it apart from a Docker or Aura server.

Two ways to run it:

* :class:`LocalNeo4j`, owned by the calling process (``graphmap serve``, the
  test fixture). The JVM gets ``--exit-on-stdin-eof`` and a stdin pipe we keep
  open: if this Python process dies, even by SIGKILL, the pipe closes and the
  server shuts itself down instead of lingering as an orphan.
* :func:`start_detached` / :func:`status_detached` / :func:`stop_detached`, for
  the CLI: the server outlives the command that started it and is tracked by
  ``<data_dir>/neo4j.pid`` and ``<data_dir>/neo4j.uri``.

Sizes come from the caller (who reads ``GRAPHMAP_NEO4J_HEAP`` /
``GRAPHMAP_NEO4J_PAGECACHE``, see :func:`heap_from_env`), so this module stays
free of hidden global configuration apart from where the Maven module lives.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

__all__ = [
    "DEFAULT_HEAP",
    "DEFAULT_PAGECACHE",
    "EMBEDDED_DIR",
    "LOG_NAME",
    "MAIN_CLASS",
    "PID_NAME",
    "URI_NAME",
    "LocalNeo4j",
    "Neo4jLocalError",
    "embedded_dir",
    "ensure_built",
    "free_port",
    "heap_from_env",
    "java_command",
    "pagecache_from_env",
    "start_detached",
    "status_detached",
    "stop_detached",
]

MAIN_CLASS = "graphmap.neo4j.EmbeddedNeo4j"
READY_PREFIX = "graphmap-neo4j ready "
DEFAULT_HEAP = "1g"
DEFAULT_PAGECACHE = "256m"
LOG_NAME = "neo4j-embedded.log"
PID_NAME = "neo4j.pid"
URI_NAME = "neo4j.uri"
_STAMP_NAME = ".graphmap-build-stamp"
_LOG_TAIL_LINES = 40


def _default_embedded_dir() -> Path:
    override = os.environ.get("GRAPHMAP_NEO4J_EMBEDDED_DIR")
    if override:
        return Path(override).expanduser().resolve()
    return Path(__file__).resolve().parent.parent / "neo4j-embedded"


#: Where the Maven module lives: next to the ``graphmap`` package in a source
#: checkout, or wherever ``GRAPHMAP_NEO4J_EMBEDDED_DIR`` points (an installed
#: wheel does not ship the Java sources).
EMBEDDED_DIR: Path = _default_embedded_dir()


class Neo4jLocalError(Exception):
    """The bundled Neo4j could not be built, started or stopped.

    The message always says what to do next (install a tool, read a log, stop
    another server), because the person reading it usually just ran
    ``graphmap serve`` and did not ask for a JVM.
    """


def embedded_dir() -> Path:
    """The Maven module directory, re-reading the env override at call time.

    Tests and the CLI may set ``GRAPHMAP_NEO4J_EMBEDDED_DIR`` after import.
    """
    return _default_embedded_dir()


def heap_from_env() -> str:
    """JVM heap size from ``GRAPHMAP_NEO4J_HEAP`` (default ``1g``)."""
    return os.environ.get("GRAPHMAP_NEO4J_HEAP") or DEFAULT_HEAP


def pagecache_from_env() -> str:
    """Neo4j page cache size from ``GRAPHMAP_NEO4J_PAGECACHE`` (default ``256m``)."""
    return os.environ.get("GRAPHMAP_NEO4J_PAGECACHE") or DEFAULT_PAGECACHE


# --------------------------------------------------------------------------- build

_JAVA_HINT = (
    "Java 17+ is needed to run the bundled Neo4j. Install it "
    "(Debian/Ubuntu: `sudo apt-get install openjdk-17-jdk-headless`) "
    "or point NEO4J_URI at an existing Neo4j server."
)
_MVN_HINT = (
    "Maven is needed once, to fetch the bundled Neo4j into {dir}/target. Install it "
    "(Debian/Ubuntu: `sudo apt-get install maven`) and run "
    "`mvn -q -B -f {dir}/pom.xml package`, or point NEO4J_URI at an existing Neo4j server."
)


def _require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise Neo4jLocalError(_JAVA_HINT)
    return java


def _newest_source_mtime(module: Path) -> float:
    newest = (module / "pom.xml").stat().st_mtime
    src = module / "src"
    if src.is_dir():
        for path in src.rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def _needs_build(module: Path) -> bool:
    target = module / "target"
    stamp = target / _STAMP_NAME
    lib = target / "lib"
    if not stamp.is_file() or not lib.is_dir() or not (target / "classes").is_dir():
        return True
    if not any(lib.glob("neo4j-*.jar")):
        return True
    return _newest_source_mtime(module) > stamp.stat().st_mtime


@contextlib.contextmanager
def _build_lock(module: Path) -> Iterator[None]:
    """Serialise builds: two processes (pytest workers, serve + CLI) may race."""
    target = module / "target"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".build.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_built(quiet: bool = True) -> None:
    """Build ``neo4j-embedded`` with Maven unless ``target/`` is already current.

    A no-op (a few stat calls) when ``target/lib`` exists and neither
    ``pom.xml`` nor ``src/`` changed since the last successful build, so it is
    cheap to call before every start. The first build downloads ~125 MB of
    jars from Maven Central into ``~/.m2``.

    Raises :class:`Neo4jLocalError` when java or mvn are missing (saying how to
    install them) or when the build fails (with the tail of Maven's output).
    """
    module = embedded_dir()
    _require_java()
    if not (module / "pom.xml").is_file():
        raise Neo4jLocalError(
            f"No Neo4j Maven module at {module} (pom.xml missing). Set "
            "GRAPHMAP_NEO4J_EMBEDDED_DIR to the neo4j-embedded directory of a graphmap "
            "checkout, or point NEO4J_URI at an existing Neo4j server."
        )
    if not _needs_build(module):
        return
    with _build_lock(module):
        if not _needs_build(module):  # another process built it while we waited
            return
        mvn = shutil.which("mvn")
        if mvn is None:
            raise Neo4jLocalError(_MVN_HINT.format(dir=module))
        stamp = module / "target" / _STAMP_NAME
        started = time.time()
        cmd = [mvn, "-B", "-f", str(module / "pom.xml"), "package"]
        if quiet:
            cmd.insert(1, "-q")
        result = subprocess.run(
            cmd,
            cwd=module,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if quiet else None,
            stderr=subprocess.STDOUT if quiet else None,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout or "").splitlines()[-_LOG_TAIL_LINES:])
            raise Neo4jLocalError(
                f"Building the bundled Neo4j failed (exit {result.returncode}): "
                f"`{' '.join(cmd)}`\n{tail}"
            )
        stamp.touch()
        # Sources edited during the build must trigger the next build.
        os.utime(stamp, (started, started))


def _classpath(module: Path) -> str:
    target = module / "target"
    return f"{target / 'classes'}{os.pathsep}{target / 'lib' / '*'}"


# --------------------------------------------------------------------------- process

_SIZE_RE = re.compile(r"^\s*(\d+)\s*([kmgt]?)b?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def _parse_size(size: str) -> int:
    """``"1g"`` -> bytes; the same spellings the JVM's -Xmx accepts."""
    match = _SIZE_RE.match(size)
    if match is None:
        raise Neo4jLocalError(f"Bad memory size {size!r}: use e.g. 512m or 2g.")
    return int(match.group(1)) * _SIZE_UNITS[match.group(2).lower()]


# The JVM flags Neo4j's own launcher uses that matter here: without the
# add-opens the page cache and transaction logs fall back to slower paths.
# The parallel collector instead of G1: on 2 cores G1's concurrent threads
# compete with the queries; a 407k-row import took 10% less time and 15% less
# JVM CPU (bench/bench_io.py), for pauses of a small heap that a single
# team's server does not feel.
# Tried and not adopted: the whole heap from the start with half of it young
# (-Xms = -Xmx, NewRatio=1). On bench_io's 407k-row import the collector took
# 3.4-3.8 s of CPU instead of 4.9-5.4 s, but the queries took about 1 s more
# (a larger young generation touches more memory), and the rate stayed within
# the host's noise: 19,702 against 19,890 rows/s, re-import 17,930 against
# 19,944 (medians, runs alternating: `bench/jvm_flags.py`). Nor the serial
# collector, whose single thread took 10.7 s of CPU: 12,915 against 17,787
# rows/s, re-import 15,861 against 20,621 (medians of 2, 2026-11-27).
_JVM_FLAGS = [
    "-XX:+UseParallelGC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]


def java_command(
    data_dir: Path,
    port: int,
    heap: str = DEFAULT_HEAP,
    pagecache: str = DEFAULT_PAGECACHE,
    exit_on_stdin_eof: bool = True,
    jvm_flags: Sequence[str] = (),
    tx_memory: str | None = None,
) -> list[str]:
    """The exact ``java ...`` command line for the embedded server.

    ``tx_memory``: the most one transaction may use (default: half the heap;
    all of them together: 60% of it).
    ``jvm_flags`` come after graphmap's own, so they override them (the JVM
    takes the last of a repeated flag): ``bench/jvm_flags.py`` compares flag
    sets that way.

    The initial heap is capped at 256m so an idle server does not claim the
    whole ``heap`` up front on a small machine.
    """
    java = _require_java()
    heap_bytes = _parse_size(heap)
    _parse_size(pagecache)  # fail here, with a clear message, not in the JVM
    xms = heap if heap_bytes <= 256 << 20 else "256m"
    cmd = [
        java,
        f"-Xms{xms}",
        f"-Xmx{heap}",
        *_JVM_FLAGS,
        *jvm_flags,
        "-cp",
        _classpath(embedded_dir()),
        MAIN_CLASS,
        "--data-dir",
        str(data_dir),
        "--bolt-port",
        str(port),
        "--pagecache",
        pagecache,
    ]
    if tx_memory is not None:
        _parse_size(tx_memory)
        cmd += ["--tx-memory", tx_memory]
    if exit_on_stdin_eof:
        cmd.append("--exit-on-stdin-eof")
    return cmd


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _log_tail(log_path: Path, offset: int = 0, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        with open(log_path, "rb") as fh:
            fh.seek(offset)
            text = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(log empty)"


def _debug_log_tail(data_dir: Path, lines: int = 15) -> str:
    """Neo4j's own log often has the real reason (store locked, bad config)."""
    debug_log = data_dir / "logs" / "debug.log"
    if not debug_log.is_file():
        return ""
    errors = [
        line
        for line in _log_tail(debug_log, 0, 400).splitlines()
        if " ERROR " in line or "Exception" in line
    ]
    return "\n".join(errors[-lines:])


def _verify_connectivity(uri: str, deadline: float) -> None:
    """Ready line seen: prove the driver really gets a session before returning."""
    from neo4j import GraphDatabase  # imported late: building/starting needs no driver

    last: Exception | None = None
    while True:
        try:
            # Auth is disabled on the embedded server; any credentials work.
            with GraphDatabase.driver(uri, auth=("neo4j", "graphmap")) as driver:
                driver.verify_connectivity()
            return
        except Exception as exc:  # noqa: BLE001 - retried, then reported
            last = exc
        if time.monotonic() >= deadline:
            raise Neo4jLocalError(f"Neo4j said ready but {uri} refuses Bolt: {last}")
        time.sleep(0.25)


def _pid_alive(pid: int) -> bool:
    """True if ``pid`` is a live (non-zombie) process."""
    with contextlib.suppress(ChildProcessError, OSError):
        done, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it is our own child
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): kill(0) is all we have
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _is_our_server(pid: int, data_dir: Path) -> bool:
    """Guard against pid reuse: the pid must be an EmbeddedNeo4j on this data dir."""
    if not _pid_alive(pid):
        return False
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # cannot tell without /proc; trust the pid file
    decoded = [a.decode(errors="replace") for a in args]
    if MAIN_CLASS not in decoded:
        return False
    with contextlib.suppress(ValueError, IndexError):
        return Path(decoded[decoded.index("--data-dir") + 1]) == data_dir
    return True


def _read_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / PID_NAME).read_text().strip())
    except (OSError, ValueError):
        return None


def _live_detached_pid(data_dir: Path) -> int | None:
    """The pid from ``neo4j.pid`` if that server runs; removes a stale pid file."""
    pid_file = data_dir / PID_NAME
    if not pid_file.exists():
        return None
    pid = _read_pid(data_dir)
    if pid is not None and _is_our_server(pid, data_dir):
        return pid
    _remove_state_files(data_dir)
    return None


def _remove_state_files(data_dir: Path) -> None:
    for name in (PID_NAME, URI_NAME):
        with contextlib.suppress(FileNotFoundError):
            (data_dir / name).unlink()


def _refuse_if_running(data_dir: Path) -> None:
    pid = _live_detached_pid(data_dir)
    if pid is not None:
        uri = _read_text(data_dir / URI_NAME) or "(starting)"
        raise Neo4jLocalError(
            f"A graphmap Neo4j already runs on {data_dir} (pid {pid}, {uri}). "
            "Use it via NEO4J_URI, or stop it first (graphmap.neo4j_local.stop_detached)."
        )


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM (clean store shutdown via the JVM hook), SIGKILL only after ``timeout``."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _pid_alive(pid):
        if time.monotonic() >= deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            kill_deadline = time.monotonic() + 10
            while _pid_alive(pid) and time.monotonic() < kill_deadline:
                time.sleep(0.1)
            return
        time.sleep(0.1)


def _address_in_use(text: str) -> bool:
    return "Address already in use" in text or "BindException" in text


# --------------------------------------------------------------------------- attached


class LocalNeo4j:
    """A bundled Neo4j server owned by this Python process.

    ``start()`` returns once Bolt answers; ``stop()`` (or leaving the ``with``
    block) shuts it down cleanly, leaving the data on disk for the next start.
    If this process dies without stopping it, the server notices its stdin
    closing and exits by itself.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        heap: str = DEFAULT_HEAP,
        pagecache: str = DEFAULT_PAGECACHE,
        jvm_flags: Sequence[str] = (),
        tx_memory: str | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.port = port
        self.heap = heap
        self.pagecache = pagecache
        self.jvm_flags = tuple(jvm_flags)
        self.tx_memory = tx_memory
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._reader: threading.Thread | None = None
        self._ready = threading.Event()
        self._uri: str | None = None

    @property
    def log_path(self) -> Path:
        """The JVM's stderr; Neo4j's own logs are under ``<data_dir>/logs``."""
        return self.data_dir / LOG_NAME

    @property
    def uri(self) -> str:
        """The ``bolt://127.0.0.1:<port>`` URI; only valid after ``start()``."""
        if self._uri is None:
            raise Neo4jLocalError("LocalNeo4j is not started; call start() first.")
        return self._uri

    @property
    def pid(self) -> int | None:
        """The JVM's pid while it runs."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 180) -> str:
        """Build if needed, launch the JVM, wait for Bolt; returns the URI.

        A port picked by us (``port=None``) that someone grabs before Neo4j
        binds it is retried with a new one.
        """
        if self.running:
            return self.uri
        ensure_built()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _refuse_if_running(self.data_dir)
        deadline = time.monotonic() + timeout
        attempts = 3 if self.port is None else 1
        for attempt in range(attempts):
            port = self.port if self.port is not None else free_port()
            try:
                uri = self._launch(port, deadline)
            except Neo4jLocalError as exc:
                if attempt + 1 < attempts and _address_in_use(str(exc)):
                    continue
                raise
            try:
                _verify_connectivity(uri, max(deadline, time.monotonic() + 10))
            except Neo4jLocalError:
                self.stop(timeout=30)
                raise
            self.port = port
            return uri
        raise AssertionError("unreachable")

    def _launch(self, port: int, deadline: float) -> str:
        cmd = java_command(
            self.data_dir,
            port,
            self.heap,
            self.pagecache,
            exit_on_stdin_eof=True,
            jvm_flags=self.jvm_flags,
            tx_memory=self.tx_memory,
        )
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()/_cleanup()
        log.write(
            f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(cmd)}\n".encode()
        )
        log.flush()
        offset = log.tell()
        self._log = log
        self._ready.clear()
        self._uri = None
        # stdin stays an open pipe for the server's whole life: its EOF is the
        # "parent is gone" signal (--exit-on-stdin-eof).
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            cwd=self.data_dir,
        )
        self._reader = threading.Thread(
            target=self._read_stdout, name=f"neo4j-local-{port}", daemon=True
        )
        self._reader.start()
        while not self._ready.wait(0.1):
            if self._proc.poll() is not None:
                code = self._proc.returncode
                self._cleanup()
                detail = _log_tail(self.log_path, offset)
                debug = _debug_log_tail(self.data_dir)
                raise Neo4jLocalError(
                    f"Neo4j exited (code {code}) before it was ready. "
                    f"Last lines of {self.log_path}:\n{detail}"
                    + (f"\nFrom {self.data_dir / 'logs' / 'debug.log'}:\n{debug}" if debug else "")
                )
            if time.monotonic() >= deadline:
                self.stop(timeout=10)
                raise Neo4jLocalError(
                    f"Neo4j was not ready after the start timeout. Last lines of "
                    f"{self.log_path}:\n{_log_tail(self.log_path, offset)}"
                )
        assert self._uri is not None
        return self._uri

    def _read_stdout(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode("utf-8", errors="replace").strip()
            if line.startswith(READY_PREFIX) and not self._ready.is_set():
                self._uri = line[len(READY_PREFIX) :].strip()
                self._ready.set()
            elif line and self._log is not None and not self._log.closed:
                with contextlib.suppress(ValueError, OSError):
                    self._log.write(f"[stdout] {line}\n".encode())
                    self._log.flush()

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM and wait (clean shutdown); SIGKILL only after ``timeout``."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        self._cleanup()

    def _cleanup(self) -> None:
        proc = self._proc
        if proc is not None and proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        if self._reader is not None:
            self._reader.join(5)
        if proc is not None and proc.stdout is not None:
            with contextlib.suppress(OSError):
                proc.stdout.close()
        if self._log is not None:
            self._log.close()
        self._proc = None
        self._reader = None
        self._log = None
        self._uri = None
        self._ready.clear()

    def __enter__(self) -> LocalNeo4j:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self._uri if self.running else "stopped"
        return f"LocalNeo4j({str(self.data_dir)!r}, {state})"


# --------------------------------------------------------------------------- detached


def start_detached(
    data_dir: Path,
    port: int | None = None,
    heap: str = DEFAULT_HEAP,
    pagecache: str = DEFAULT_PAGECACHE,
    timeout: float = 180,
) -> int:
    """Start a server that outlives the caller; returns its pid once Bolt answers.

    The URI is written to ``<data_dir>/neo4j.uri`` (see :func:`status_detached`)
    and the pid to ``<data_dir>/neo4j.pid``. The JVM runs in its own session,
    stdin from /dev/null, stdout+stderr appended to ``<data_dir>/neo4j-embedded.log``.
    It is launched through ``sh -c '... &'`` so it is re-parented to init at
    once: no zombie in the caller, no ResourceWarning for a Popen left running.
    Refuses (``Neo4jLocalError``) if a server already runs on ``data_dir``.
    """
    data_dir = Path(data_dir).expanduser().resolve()
    ensure_built()
    data_dir.mkdir(parents=True, exist_ok=True)
    _refuse_if_running(data_dir)
    port = port if port is not None else free_port()
    cmd = java_command(data_dir, port, heap, pagecache, exit_on_stdin_eof=False)
    log_path = data_dir / LOG_NAME
    with open(log_path, "ab") as log:
        log.write(
            f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting detached: "
            f"{' '.join(cmd)}\n".encode()
        )
        offset = log.tell()
    launcher = subprocess.run(
        ["/bin/sh", "-c", 'log="$1"; shift; "$@" </dev/null >>"$log" 2>&1 & echo $!', "sh"]
        + [str(log_path), *cmd],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        check=True,
        cwd=data_dir,
    )
    pid = int(launcher.stdout.strip())
    (data_dir / PID_NAME).write_text(f"{pid}\n")
    deadline = time.monotonic() + timeout
    uri: str | None = None
    while uri is None:
        for line in _log_tail(log_path, offset, 10_000).splitlines():
            if line.startswith(READY_PREFIX):
                uri = line[len(READY_PREFIX) :].strip()
                break
        if uri is not None:
            break
        if not _pid_alive(pid):
            _remove_state_files(data_dir)
            debug = _debug_log_tail(data_dir)
            raise Neo4jLocalError(
                f"Neo4j exited before it was ready. Last lines of {log_path}:\n"
                f"{_log_tail(log_path, offset)}"
                + (f"\nFrom {data_dir / 'logs' / 'debug.log'}:\n{debug}" if debug else "")
            )
        if time.monotonic() >= deadline:
            _terminate(pid, 10)
            _remove_state_files(data_dir)
            raise Neo4jLocalError(
                f"Neo4j was not ready after {timeout:.0f}s. Last lines of {log_path}:\n"
                f"{_log_tail(log_path, offset)}"
            )
        time.sleep(0.2)
    try:
        _verify_connectivity(uri, max(deadline, time.monotonic() + 10))
    except Neo4jLocalError:
        _terminate(pid, 30)
        _remove_state_files(data_dir)
        raise
    (data_dir / URI_NAME).write_text(f"{uri}\n")
    return pid


def status_detached(data_dir: Path) -> str | None:
    """The URI of the detached server on ``data_dir`` if it runs, else None.

    A pid file whose process is gone (or is no longer our server) is stale and
    is removed. While the server is still starting the pid is live but there is
    no URI yet, so this returns None.
    """
    data_dir = Path(data_dir).expanduser().resolve()
    if _live_detached_pid(data_dir) is None:
        return None
    return _read_text(data_dir / URI_NAME)


def stop_detached(data_dir: Path, timeout: float = 60) -> bool:
    """Stop the detached server on ``data_dir``; False if none was running.

    SIGTERM first, so Neo4j closes its store cleanly; SIGKILL only after
    ``timeout`` seconds.
    """
    data_dir = Path(data_dir).expanduser().resolve()
    pid = _live_detached_pid(data_dir)
    if pid is None:
        return False
    _terminate(pid, timeout)
    _remove_state_files(data_dir)
    return True
