"""The dbt docs site of the warehouse (`make docs`), served on 127.0.0.1 with no usage tracking.

    python -m scripts.bi.docs generate --warehouse warehouse      write <warehouse>/docs/
    python -m scripts.bi.docs serve --warehouse warehouse --port 8080

`generate` runs `dbt docs generate` against a private copy of the published file (named
news_build.duckdb, like the build file the models were compiled for), so it never opens or locks the
build file: a build running at the same time is not disturbed, and the catalog shows the published
marts with their types and descriptions. Without a published file the catalog is empty and the site
still shows every model, column description and the lineage graph.

`serve` generates, then serves <warehouse>/docs/ from 127.0.0.1 only. dbt's page only loads its
tracker when the manifest says `send_anonymous_usage_stats: true` (this project sets it false), and
the server sends a Content-Security-Policy that lets the browser reach this server only.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from scripts import PROJECT_DIR
from scripts.build.dbt_command import dbt_env
from scripts.build.warehouse import BUILD_DB_NAME, MARTS_DB_NAME, PUBLISHED_NAME
from scripts.build.logs import configure_logging

log = logging.getLogger("docs")

HOST = "127.0.0.1"
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
                           "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
                           "connect-src 'self'; object-src 'none'; base-uri 'self'")


class DocsError(Exception):
    """An expected failure, reported in one line."""


def generate(warehouse: Path) -> Path:
    """Write the docs site to <warehouse>/docs/ and return that folder."""
    warehouse = warehouse.resolve()
    docs_dir = warehouse / "docs"
    published = warehouse / PUBLISHED_NAME
    warehouse.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".docs-", dir=warehouse) as scratch:
        database = Path(scratch) / MARTS_DB_NAME  # the published file holds the marts file's tables
        if published.is_file():
            shutil.copyfile(published, database)  # one snapshot; the copy is writable (0644)
            database.chmod(0o644)
        else:
            log.warning("no %s yet: the catalog will be empty (run `make build` first)", published)
        dbt = Path(sys.executable).with_name("dbt")
        command = [str(dbt) if dbt.exists() else "dbt", "docs", "generate", "--static",
                   "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
                   "--target", "build", "--target-path", str(docs_dir),
                   "--log-path", str(Path(scratch) / "logs")]
        # The build file stays empty: the catalog is the marts'.
        env = {**os.environ, **dbt_env(Path(scratch) / BUILD_DB_NAME, database)}
        result = subprocess.run(command, env=env, cwd=PROJECT_DIR, check=False)
        if result.returncode != 0:
            raise DocsError(f"dbt docs generate failed (exit {result.returncode}); see the messages above")
    manifest = json.loads((docs_dir / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("metadata", {}).get("send_anonymous_usage_stats") is not False:
        raise DocsError("the manifest allows usage tracking; set send_anonymous_usage_stats: false")
    log.info("docs site written to %s (open static_index.html directly, or `make docs`)", docs_dir)
    return docs_dir


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib signature)
        log.debug("%s " + format, self.address_string(), *args)


def serve(docs_dir: Path, port: int) -> None:
    handler = functools.partial(_Handler, directory=str(docs_dir))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise DocsError(f"cannot listen on {HOST}:{port} ({exc.strerror}); pass DOCS_PORT=<port>") from None
    print(f"dbt docs: http://{HOST}:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.bi.docs", description="dbt docs for the warehouse.")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("generate", "serve"):
        command = sub.add_parser(name, help=f"{name} the docs site")
        command.add_argument("--warehouse", type=Path, default=PROJECT_DIR / "warehouse",
                             help="warehouse folder (default: warehouse/)")
        if name == "serve":
            command.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (default 8080)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    try:
        docs_dir = generate(args.warehouse)
        if args.command == "serve":
            serve(docs_dir, args.port)
    except DocsError as exc:
        log.error("%s", exc)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
