"""Run Apache Superset on the published warehouse: `make bi`, `make bi-stop`.

    python -m scripts.bi.superset.bi requirements             the pinned `bi` group of pyproject.toml
    python -m scripts.bi.superset.bi start --warehouse W      set up, start on 127.0.0.1:8088, provision
    python -m scripts.bi.superset.bi stop  --warehouse W
    python -m scripts.bi.superset.bi status --warehouse W

Superset runs from its own virtualenv (``.venv-bi``, made by make/bi.mk from the `bi` group) because
its pins conflict with dbt's. This script only needs the standard library, so it runs on the main
``.venv``. Everything Superset writes lives in ``W/superset/``:

    superset.db        metadata (sqlite)            secret-key       Flask secret (mode 600)
    admin-password     generated admin password (mode 600) when SUPERSET_ADMIN_PASSWORD is unset
    superset.log       server log                   setup.log        `superset db upgrade` / `init`
    superset.pid       the server's process id      superset.port    the port it listens on
    .initialized       the Superset version whose migrations and roles are in superset.db

The server (gunicorn, one worker) listens on 127.0.0.1 only. After it answers /health, the database
(the published file, read-only), datasets, charts and the dashboard are created or updated through
the REST API (scripts/bi/superset/dashboard.py): running `start` again never duplicates anything.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts import PROJECT_DIR
from scripts.build.logs import configure_logging

log = logging.getLogger("bi")

CONFIG_FILE = Path(__file__).resolve().with_name("superset_config.py")
ADMIN_SCRIPT = Path(__file__).resolve().with_name("admin_user.py")
PUBLISHED_NAME = "news.duckdb"
ADMIN_USER = "admin"
PASSWORD_ENV = "SUPERSET_ADMIN_PASSWORD"
DEFAULT_PORT = 8088
HOST = "127.0.0.1"
# Passwords that ship as defaults somewhere; never accepted.
WEAK_PASSWORDS = {"admin", "password", "superset", "changeme", "general"}


class BiError(Exception):
    """An expected failure, reported in one line with what to do."""


@dataclass(frozen=True)
class Paths:
    warehouse: Path
    venv: Path

    @property
    def home(self) -> Path:
        return self.warehouse / "superset"

    @property
    def published(self) -> Path:
        return self.warehouse / PUBLISHED_NAME

    @property
    def pid_file(self) -> Path:
        return self.home / "superset.pid"

    @property
    def port_file(self) -> Path:
        return self.home / "superset.port"

    @property
    def password_file(self) -> Path:
        return self.home / "admin-password"

    @property
    def secret_file(self) -> Path:
        return self.home / "secret-key"

    @property
    def marker(self) -> Path:
        return self.home / ".initialized"

    @property
    def log_file(self) -> Path:
        return self.home / "superset.log"

    @property
    def setup_log(self) -> Path:
        return self.home / "setup.log"

    def bin(self, name: str) -> Path:
        return self.venv / "bin" / name


# -- requirements ---------------------------------------------------------------------------

def bi_requirements(pyproject: Path) -> list[str]:
    """The `bi` optional-dependency group: the one list `.venv-bi` is installed from."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: pip vendors the same parser
        from pip._vendor import tomli as tomllib  # type: ignore[no-redef]
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    group = data.get("project", {}).get("optional-dependencies", {}).get("bi")
    if not group:
        raise BiError(f"{pyproject} has no [project.optional-dependencies] bi group")
    return list(group)


# -- secrets --------------------------------------------------------------------------------

def _write_private(path: Path, text: str) -> None:
    """Create ``path`` with mode 600 (never readable by others, even for an instant)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")


def _read_private(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("%s was readable by others (mode %o); setting it to 600", path, mode)
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def ensure_secret_key(paths: Paths) -> None:
    if not paths.secret_file.exists():
        _write_private(paths.secret_file, secrets.token_urlsafe(48))
        log.info("generated Superset's secret key in %s", paths.secret_file)
    _read_private(paths.secret_file)


def admin_password(paths: Paths) -> tuple[str, str]:
    """(password, where it comes from): $SUPERSET_ADMIN_PASSWORD, else the generated file."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env is not None:
        if len(from_env) < 8 or from_env.lower() in WEAK_PASSWORDS:
            raise BiError(f"{PASSWORD_ENV} is too weak (a default, or under 8 characters); "
                          "choose another, or unset it to have one generated")
        return from_env, f"${PASSWORD_ENV}"
    if not paths.password_file.exists():
        _write_private(paths.password_file, secrets.token_urlsafe(18))
        log.info("generated the admin password in %s", paths.password_file)
    password = _read_private(paths.password_file)
    if not password:
        raise BiError(f"{paths.password_file} is empty; delete it to have a new password generated")
    return password, str(paths.password_file)


# -- processes ------------------------------------------------------------------------------

def superset_env(paths: Paths) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != PASSWORD_ENV}
    env.update({
        "SUPERSET_HOME": str(paths.home),
        "SUPERSET_CONFIG_PATH": str(CONFIG_FILE),
        "FLASK_APP": "superset",
        # No telemetry from any tool that honours these.
        "DO_NOT_TRACK": "1",
        "SCARF_ANALYTICS": "false",
        "SUPERSET_LOAD_EXAMPLES": "no",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _version(paths: Paths) -> str:
    result = subprocess.run([str(paths.bin("python")), "-c",
                             "from importlib.metadata import version; print(version('apache-superset'))"],
                            capture_output=True, text=True, check=False, timeout=60)
    if result.returncode != 0:
        raise BiError(f"apache-superset is not installed in {paths.venv}; run `make bi` "
                      "(it installs the pinned `bi` group)")
    return result.stdout.strip()


def initialise(paths: Paths) -> None:
    """`superset db upgrade` and `superset init` once per Superset version (about a minute)."""
    version = _version(paths)
    if (paths.marker.exists() and (paths.home / "superset.db").exists()
            and paths.marker.read_text(encoding="utf-8").strip() == version):
        return
    env = superset_env(paths)
    with open(paths.setup_log, "a", encoding="utf-8") as out:
        for step in (["db", "upgrade"], ["init"]):
            log.info("running superset %s (first start only; see %s)", " ".join(step), paths.setup_log)
            started = time.monotonic()
            result = subprocess.run([str(paths.bin("superset")), *step], env=env, cwd=paths.home,
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                    check=False, timeout=900)
            if result.returncode != 0:
                raise BiError(f"superset {' '.join(step)} failed (exit {result.returncode}); "
                              f"see {paths.setup_log}")
            log.info("superset %s done in %.0f s", " ".join(step), time.monotonic() - started)
    paths.marker.write_text(version + "\n", encoding="utf-8")


def sync_admin(paths: Paths, password: str) -> None:
    with open(paths.setup_log, "a", encoding="utf-8") as out:
        result = subprocess.run([str(paths.bin("python")), str(ADMIN_SCRIPT), "--username", ADMIN_USER],
                                input=password + "\n", text=True, env=superset_env(paths), cwd=paths.home,
                                stdout=subprocess.PIPE, stderr=out, check=False, timeout=300)
    if result.returncode != 0:
        raise BiError(f"could not create or update the admin user; see {paths.setup_log}")
    for line in result.stdout.splitlines():
        log.info("%s", line)


def _pid_alive(pid: int) -> bool:
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False  # our own child, which has exited: reaped now
    except ChildProcessError:
        pass  # not our child (started by an earlier `make bi`)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_our_server(pid: int, paths: Paths) -> bool:
    """The pid is alive and is a gunicorn from our virtualenv (not a recycled pid)."""
    if not _pid_alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return True  # no /proc: trust the pid file
    return "gunicorn" in cmdline and "superset" in cmdline


def running_server(paths: Paths) -> tuple[int, int] | None:
    """(pid, port) of the server this warehouse started, if it is still running."""
    try:
        pid = int(paths.pid_file.read_text(encoding="utf-8").strip())
        port = int(paths.port_file.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
    if _is_our_server(pid, paths):
        return pid, port
    paths.pid_file.unlink(missing_ok=True)
    return None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/health", timeout=5) as response:
            return response.status == 200 and response.read().strip() == b"OK"
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def launch(paths: Paths, port: int, timeout: float) -> int:
    """Start gunicorn in its own session, wait until /health answers; return its pid."""
    if not _port_free(port):
        raise BiError(f"port {port} on {HOST} is in use; stop what runs there or pass BI_PORT=<port>")
    command = [
        str(paths.bin("gunicorn")),
        "--bind", f"{HOST}:{port}",
        "--workers", "1",  # two shared cores: one process, a few threads
        "--worker-class", "gthread", "--threads", "4",
        "--timeout", "180",
        "--graceful-timeout", "10",
        "--limit-request-line", "0", "--limit-request-field_size", "0",
        "--no-control-socket",  # gunicorn 27 would otherwise put one in ~/.gunicorn, shared by all
        "superset.app:create_app()",
    ]
    with open(paths.log_file, "ab") as out:
        process = subprocess.Popen(command, env=superset_env(paths), cwd=paths.home,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    paths.pid_file.write_text(f"{process.pid}\n", encoding="utf-8")
    paths.port_file.write_text(f"{port}\n", encoding="utf-8")
    log.info("started Superset (pid %d) on http://%s:%d, waiting for it to answer", process.pid, HOST, port)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                paths.pid_file.unlink(missing_ok=True)
                raise BiError(f"Superset exited during startup (exit {process.returncode}); "
                              f"last lines of {paths.log_file}:\n{_log_tail(paths.log_file)}")
            if _healthy(port):
                return process.pid
            time.sleep(1)
    except KeyboardInterrupt:
        stop_server(paths)
        raise
    stop_server(paths)
    raise BiError(f"Superset did not answer /health within {timeout:.0f} s; stopped it. "
                  f"See {paths.log_file}")


def stop_server(paths: Paths, wait: float = 30.0) -> bool:
    """Stop the server this warehouse started (its whole process group). True if one ran."""
    running = running_server(paths)
    if running is None:
        paths.pid_file.unlink(missing_ok=True)
        return False
    pid, _ = running
    try:
        os.killpg(pid, signal.SIGTERM)  # gunicorn was started as a session leader: pgid == pid
    except ProcessLookupError:
        pass
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and _pid_alive(pid):
        time.sleep(0.2)
    if _pid_alive(pid):
        log.warning("Superset (pid %d) ignored SIGTERM for %.0f s; killing it", pid, wait)
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    paths.pid_file.unlink(missing_ok=True)
    log.info("stopped Superset (pid %d)", pid)
    return True


# -- commands -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Started:
    """What `start` did: where the server listens, whether this call launched it, its objects."""
    port: int
    launched: bool
    password: str
    password_source: str
    ids: dict[str, Any]


def start(paths: Paths, port: int, timeout: float) -> Started:
    """Start Superset for the warehouse (or find it running) and provision the dashboard."""
    if not paths.published.is_file():
        raise BiError(f"no {paths.published} yet: run `make build` first")
    if not paths.bin("gunicorn").exists():
        raise BiError(f"Superset is not installed in {paths.venv}; run `make bi`, which installs "
                      "the pinned `bi` group of pyproject.toml")
    paths.home.mkdir(parents=True, exist_ok=True)
    paths.home.chmod(0o700)
    ensure_secret_key(paths)
    password, source = admin_password(paths)

    from scripts.bi.superset.client import SupersetClient, SupersetError
    from scripts.bi.superset.dashboard import provision

    running = running_server(paths)
    launched = False
    if running is not None and _healthy(running[1]):
        pid, port = running
        log.info("Superset already runs (pid %d) on http://%s:%d", pid, HOST, port)
    else:
        if running is not None:
            stop_server(paths)
        initialise(paths)
        sync_admin(paths, password)
        launch(paths, port, timeout)
        launched = True

    client = SupersetClient(f"http://{HOST}:{port}", timeout=120)
    try:
        try:
            client.login(ADMIN_USER, password)
        except SupersetError as exc:
            if exc.status != 401:
                raise
            sync_admin(paths, password)  # the password changed since the user was made
            client.login(ADMIN_USER, password)
        ids = provision(client, paths.published)
    except SupersetError as exc:
        if launched:  # do not leave a half set-up server using the shared CPUs
            stop_server(paths)
        raise BiError(f"Superset could not be set up: {exc}. See {paths.log_file}") from None
    except BaseException:
        if launched:
            stop_server(paths)
        raise
    return Started(port, launched, password, source, ids)


def dashboard_url(port: int) -> str:
    from scripts.bi.superset.dashboard import DASHBOARD_SLUG
    return f"http://{HOST}:{port}/superset/dashboard/{DASHBOARD_SLUG}/"


def status(paths: Paths) -> int:
    running = running_server(paths)
    if running is None:
        print("Superset is not running")
        return 1
    pid, port = running
    state = "healthy" if _healthy(port) else "not answering /health"
    print(f"Superset runs (pid {pid}) on http://{HOST}:{port}: {state}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.bi.superset.bi",
                                     description="Apache Superset on the published news warehouse.")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", required=True)
    req = sub.add_parser("requirements", help="print the pinned `bi` group, one requirement per line")
    req.add_argument("--pyproject", type=Path, default=PROJECT_DIR / "pyproject.toml")
    for name, text in (("start", "set up and start Superset, then create or update the dashboard"),
                       ("stop", "stop the Superset this warehouse started"),
                       ("status", "say whether Superset runs")):
        command = sub.add_parser(name, help=text)
        command.add_argument("--warehouse", type=Path, default=PROJECT_DIR / "warehouse",
                             help="warehouse folder holding news.duckdb (default: warehouse/)")
        command.add_argument("--venv", type=Path, default=PROJECT_DIR / ".venv-bi",
                             help="Superset's virtualenv (default: .venv-bi/)")
        if name == "start":
            command.add_argument("--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1")
            command.add_argument("--timeout", type=float, default=300.0,
                                 help="seconds to wait for the server to answer (default 300)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    try:
        if args.command == "requirements":
            print("\n".join(bi_requirements(args.pyproject)))
            return 0
        paths = Paths(args.warehouse.resolve(), args.venv.resolve())
        if args.command == "start":
            started = start(paths, args.port, args.timeout)
            print(f"Superset: {dashboard_url(started.port)}  (user {ADMIN_USER}, password in "
                  f"{started.password_source}; database id {started.ids['database_id']}, "
                  f"charts {sorted(started.ids['charts'].values())})")
            print("Stop it with: make bi-stop")
        elif args.command == "stop":
            if not stop_server(paths):
                print("Superset is not running")
        else:
            return status(paths)
    except BiError as exc:
        log.error("%s", exc)
        return 2
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
