"""Load generation: gunicorn servers on 127.0.0.1 and wrk runs against them.

Nothing here imports Django; ``run.py`` decides what to serve and what to load.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
LUA_SCRIPT = BENCH_DIR / "report.lua"
HOST = "127.0.0.1"

# The same for the ceiling and the site: what BENCHMARKS.md calls "the same gunicorn settings".
GUNICORN_WORKERS = 4
CONNECTIONS = 16
THREADS = 2
# Zipf's law for page views: the k-th most popular product gets views in proportion to 1/k.
# Over 10,000 products the 200 most popular then get 60% of the views and half the
# catalogue is seen within a minute at a few hundred requests per second.
ZIPF_EXPONENT = 1.0
ZIPF_SEED = 20261206
ZIPF_PATHS = BENCH_DIR / ".data" / "zipf-paths.txt"
# Far above any page's latency, so a slow page is measured rather than counted as timeouts.
WRK_TIMEOUT = "60s"


class BenchError(RuntimeError):
    """A precondition of the benchmark failed (a busy port, wrk missing, a server not up)."""


# ---------------------------------------------------------------------------
# wrk
# ---------------------------------------------------------------------------
def wrk_ensure() -> str:
    """The path of wrk, installing Debian's package first if it is missing (needs root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchError("wrk is missing: install it with `sudo apt-get install wrk`.")
    print("Installing wrk (Debian package)...", file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, stdout=subprocess.DEVNULL
    )
    found = shutil.which("wrk")
    if not found:
        raise BenchError("apt-get installed wrk, but it is not on PATH.")
    return found


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    error_detail: dict

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": self.p50_ms,
            "p90_ms": self.p90_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
            "errors": self.errors,
            "error_detail": self.error_detail,
        }


def wrk_run(
    port: int,
    paths: list[str],
    *,
    seconds: float,
    headers: dict[str, str] | None = None,
    zipf: bool = False,
) -> WrkResult:
    """One wrk run of ``seconds`` against 127.0.0.1:``port``, cycling through ``paths``, or
    with ``zipf`` drawing each request's path from a Zipf distribution over them (exponent
    ``ZIPF_EXPONENT``, the first path the most popular; see report.lua).

    Errors are socket errors plus responses with a status of 400 or more (wrk's own count).
    """
    command = [
        shutil.which("wrk") or "wrk",
        f"--connections={CONNECTIONS}",
        f"--threads={THREADS}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={WRK_TIMEOUT}",
        f"--script={LUA_SCRIPT}",
    ]
    for name, value in (headers or {}).items():
        command.append(f"--header={name}: {value}")
    if zipf:
        ZIPF_PATHS.parent.mkdir(parents=True, exist_ok=True)
        ZIPF_PATHS.write_text("\n".join(paths) + "\n")
        script_args = ["--zipf", str(ZIPF_PATHS), str(ZIPF_EXPONENT), str(ZIPF_SEED)]
    else:
        script_args = paths
    command += [f"http://{HOST}:{port}{paths[0]}", "--", *script_args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            figures = json.loads(line.removeprefix("BENCH-RESULT "))
            break
    else:
        raise BenchError(f"wrk printed no result (exit {done.returncode}):\n{done.stderr}")
    detail = {k.removeprefix("errors_"): v for k, v in figures.items() if k.startswith("errors_")}
    return WrkResult(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p90_ms=figures["p90_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        max_ms=figures["max_us"] / 1000,
        errors=sum(detail.values()),
        error_detail=detail,
    )


# ---------------------------------------------------------------------------
# gunicorn
# ---------------------------------------------------------------------------
def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def http_get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, int]:
    """(status, body size) of one GET to 127.0.0.1, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers or {})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


def prime(port: int, paths: list[str], headers: dict[str, str] | None = None) -> set[int]:
    """Request each path a few times over as many connections as there are workers, so that
    every worker has compiled its templates and opened its connections before a warm-up
    (a worker's first request can take seconds). Returns the statuses seen."""
    concurrency = GUNICORN_WORKERS * 2
    chosen = [paths[i % len(paths)] for i in range(concurrency)]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        answers = pool.map(lambda path: http_get(port, path, headers)[0], chosen)
        return set(answers)


class GunicornServer:
    """A gunicorn master with the bench's worker settings, in its own process group.

    Use as a context manager: the group is always terminated on exit, Ctrl-C included.
    """

    def __init__(self, name: str, app: str, port: int, *, env: dict, log_dir: Path):
        self.name, self.app, self.port, self.env = name, app, port, env
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "GunicornServer":
        try:
            self.start()
        except BaseException:
            # __exit__ is not called when __enter__ fails: an interrupted start stops here.
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self, ready_path: str = "/", timeout: float = 180) -> None:
        if not port_free(self.port):
            raise BenchError(
                f"port {self.port} ({self.name}) is in use: is another bench still running? "
                "Set BENCH_SITE_PORT / BENCH_CEILING_PORT to use other ports."
            )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            self.app,
            f"--bind={HOST}:{self.port}",
            f"--workers={GUNICORN_WORKERS}",
            "--worker-class=sync",
            f"--chdir={ROOT}",
            f"--error-logfile={self.log_path}",
            "--log-level=warning",
        ]
        paths = [str(ROOT), self.env.get("PYTHONPATH", "")]
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                command,
                env={**self.env, "PYTHONPATH": os.pathsep.join(filter(None, paths))},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: Ctrl-C reaches us, we stop it
            )
        self._wait_ready(ready_path, timeout)

    def _wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn ({self.name}) exited; see {self.log_path}")
            try:
                http_get(self.port, path)
                return
            except OSError:
                time.sleep(0.2)
        raise BenchError(f"gunicorn ({self.name}) did not answer in {timeout:.0f}s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
