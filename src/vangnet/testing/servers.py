"""Real processes for the tests and benchmarks that need them (two processes sharing
PostgreSQL and Redis, a process killed with -9, Redis going away): web processes started as
production starts them (`python -m vangnet.serve`, docs/operations.md) and used only once their
`/healthz` answers, and a private Redis of the test's own — each on a free port of 127.0.0.1."""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, seconds: float) -> bool:
    """Until something listens on the port (True), or the time ran out (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


def stop_process(process: subprocess.Popen[bytes], *, seconds: float = 10) -> None:
    """Ask it to end (SIGTERM); kill it when it has not after `seconds`."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(
    process: subprocess.Popen[bytes], port: int, *, seconds: float, name: str = "server"
) -> None:
    """Until `GET /healthz` answers 200; RuntimeError when the process ended or time ran out."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError):
            url = f"http://127.0.0.1:{port}/healthz"
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} on port {port} did not become healthy in {seconds:.0f} s")
        time.sleep(0.2)


class WebProcess:
    """One web process. `log`: the file its output is appended to (None: this process's own
    output); `options`: more of uvicorn's options."""

    def __init__(
        self, env: dict[str, str], *, log: Path | None = None, options: Sequence[str] = ()
    ) -> None:
        self.env, self.log, self.options = env, log, list(options)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, *, seconds: float = 30) -> None:
        command = [sys.executable, "-m", "vangnet.serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--log-level", "warning", *self.options]
        with contextlib.ExitStack() as stack:
            output = stack.enter_context(self.log.open("ab")) if self.log is not None else None
            self.process = subprocess.Popen(  # noqa: S603  (this interpreter, our own module)
                command,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT if output is not None else None,
            )
        wait_healthy(self.process, self.port, seconds=seconds)

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None


class PrivateRedis:
    """A redis-server of the test's own, without persistence, its files in `folder`: a fault
    test may stop and restart it without touching a Redis others use."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        program = shutil.which("redis-server")
        if program is None:
            raise RuntimeError("redis-server is not installed (Debian package redis-server)")
        self.process = subprocess.Popen(  # noqa: S603  (a fixed program with our own arguments)
            [
                *(program, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for_port(self.port, 10):
            raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None
