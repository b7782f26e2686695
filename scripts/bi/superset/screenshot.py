"""The Superset dashboard in a real headless browser: check that every chart drew, write a PNG.

    python -m scripts.bi.superset.screenshot --warehouse W --output docs/img/dashboard.png
                                                        (`make dashboard-png`)

Superset is started on the published file the way `make bi` starts it (127.0.0.1 only, the
dashboard provisioned); when it was not running already it is stopped again afterwards. The
browser is Debian's Chromium (``/usr/bin/chromium``; `make dashboard-png` and `make test-bi`
install the package when it is missing) driven by Playwright, which never downloads a browser of
its own here. It starts with a new, empty profile and the flags that keep it off the network
(this machine reaches no host but its package registries), and every request it makes to a host
other than 127.0.0.1 is aborted. It logs in through Superset's login page, opens the dashboard
and waits until each chart has either drawn (an ECharts canvas with painted pixels, or a table
with cells) or shows an error: Superset renders a chart's error as an alert (``role="alert"``)
in the chart's grid cell. ``problems`` names the charts that are missing, failed or drew nothing;
`tests/python/test_superset.py` uses the same class on the dashboard of its own build.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from scripts import PROJECT_DIR
from scripts.bi.superset.client import LOCAL_HOSTS
from scripts.build.logs import configure_logging

log = logging.getLogger("bi")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--no-sandbox",  # runs as root here
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling Google's services, which the closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Wide enough for three charts a row, tall enough that the whole dashboard is in view (Superset
# only renders the charts in view when DASHBOARD_VIRTUALIZATION is on, its default).
VIEWPORT = {"width": 1400, "height": 1200}
# standalone=3 is Superset's report mode: no menu, no title bar, no filter bar; only the charts.
STANDALONE = 3
# Around the charts' cells in the PNG, in CSS pixels.
MARGIN = 16

# One entry per chart cell of the dashboard: its name, viz type, whether it drew, its error text.
CHART_STATES_JS = """() => {
  const painted = (canvas) => {
    if (!canvas.width || !canvas.height) return false;
    const context = canvas.getContext('2d');
    if (!context) return true;
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
    return false;
  };
  return [...document.querySelectorAll('[data-test="chart-grid-component"]')].map((cell) => {
    const alert = cell.querySelector('[role="alert"]');
    const body = cell.querySelector('[data-test="chart-container"]');
    const drew = !!body && !cell.querySelector('.loading')
      && ([...body.querySelectorAll('canvas')].some(painted) || !!body.querySelector('table td'));
    return {name: cell.dataset.testChartName || '', vizType: cell.dataset.testVizType || '', drew,
            error: alert ? alert.innerText.replace(/\\s+/g, ' ').trim() : null};
  });
}"""
SETTLED_JS = f"""(names) => {{
  const states = ({CHART_STATES_JS})();
  return names.every((name) => states.some((s) => s.name === name))
    && states.every((s) => s.error !== null || s.drew);
}}"""
# The box around every chart cell, in page coordinates.
CHARTS_BOX_JS = """() => {
  const cells = [...document.querySelectorAll('.dashboard-component-chart-holder')]
    .map((cell) => cell.getBoundingClientRect());
  if (!cells.length) return null;
  const left = Math.min(...cells.map((r) => r.left)), top = Math.min(...cells.map((r) => r.top));
  return {x: left + window.scrollX, y: top + window.scrollY,
          width: Math.max(...cells.map((r) => r.right)) - left,
          height: Math.max(...cells.map((r) => r.bottom)) - top};
}"""


class BrowserError(Exception):
    """An expected failure, reported in one line with what to do."""


@dataclass(frozen=True)
class ChartState:
    name: str
    viz_type: str
    drew: bool
    error: str | None


def problems(states: Sequence[ChartState], names: Collection[str]) -> list[str]:
    """One line per chart that is missing from the page, shows an error, or drew nothing."""
    found = {state.name for state in states}
    lines = [f"chart {name!r} is not on the dashboard" for name in sorted(set(names) - found)]
    for state in states:
        if state.error is not None:
            lines.append(f"chart {state.name!r} shows an error: {state.error}")
        elif not state.drew:
            lines.append(f"chart {state.name!r} drew nothing")
    return lines


class DashboardBrowser:
    """Headless Chromium with a fresh profile, talking to one Superset on this machine."""

    def __init__(self, base_url: str, chromium: Path = CHROMIUM, timeout: float = 120.0) -> None:
        host = urllib.parse.urlsplit(base_url).hostname
        if host not in LOCAL_HOSTS:
            raise ValueError(f"refusing to browse {base_url}: only 127.0.0.1 is allowed")
        self.base_url = base_url.rstrip("/")
        self.chromium = chromium
        self.timeout = timeout
        self.blocked: list[str] = []
        self._stack: list[Any] = []
        self.page: Any = None

    def __enter__(self) -> DashboardBrowser:
        if not os.access(self.chromium, os.X_OK):
            raise BrowserError(f"no Chromium at {self.chromium}: `make dashboard-png` installs Debian's "
                               "chromium package (apt-get install chromium)")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise BrowserError("Playwright is not installed in this environment: `make dashboard-png` "
                               "installs the `browser` group of pyproject.toml") from None
        profile = tempfile.TemporaryDirectory(prefix="news-chromium-")
        self._stack.append(profile)
        try:
            playwright = sync_playwright().start()
            self._stack.append(playwright)
            context = playwright.chromium.launch_persistent_context(
                profile.name, executable_path=str(self.chromium), headless=True,
                args=list(CHROMIUM_ARGS), viewport=VIEWPORT)
            self._stack.append(context)
            context.set_default_timeout(self.timeout * 1000)
            context.route("**/*", self._local_only)
            self.page = context.pages[0] if context.pages else context.new_page()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the browser, stop Playwright's driver, delete the profile (in that order)."""
        while self._stack:
            thing = self._stack.pop()
            if hasattr(thing, "cleanup"):
                thing.cleanup()
            elif hasattr(thing, "stop"):
                thing.stop()
            else:
                thing.close()

    def _local_only(self, route: Any) -> None:
        if urllib.parse.urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def login(self, username: str, password: str) -> None:
        """Sign in through Superset's login page, as a person would."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        self.page.goto(self.base_url + "/login/")
        self.page.locator('[data-test="username-input"]').fill(username)
        self.page.locator('[data-test="password-input"]').fill(password)
        self.page.locator('[data-test="login-button"]').click()
        try:
            self.page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)
        except PlaywrightTimeout:
            raise BrowserError(f"Superset did not accept the login of {username!r} at "
                               f"{self.base_url}/login/") from None

    def open_dashboard(self, slug: str, names: Collection[str]) -> list[ChartState]:
        """Open the dashboard; wait until every named chart has drawn or shows an error."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        started = time.monotonic()
        self.page.goto(f"{self.base_url}/superset/dashboard/{slug}/?standalone={STANDALONE}")
        try:
            self.page.wait_for_function(SETTLED_JS, arg=sorted(names), polling=250)
        except PlaywrightTimeout:
            log.warning("the dashboard did not settle within %.0f s", self.timeout)
        states = [ChartState(s["name"], s["vizType"], bool(s["drew"]), s["error"])
                  for s in self.page.evaluate(CHART_STATES_JS)]
        log.info("dashboard %s: %d charts in %.1f s", slug, len(states), time.monotonic() - started)
        return states

    def screenshot(self, path: Path, settle: float = 15.0) -> None:
        """Write the open dashboard's charts as a PNG, once two frames in a row are the same
        (ECharts animates its first drawing for about a second)."""
        box = self.page.evaluate(CHARTS_BOX_JS)
        if box is None:
            raise BrowserError("the page shows no dashboard charts")
        clip = {"x": max(box["x"] - MARGIN, 0), "y": max(box["y"] - MARGIN, 0),
                "width": box["width"] + 2 * MARGIN, "height": box["height"] + 2 * MARGIN}
        deadline = time.monotonic() + settle
        previous = None
        while True:
            frame = self.page.screenshot(clip=clip, full_page=True)
            if frame == previous or time.monotonic() > deadline:
                break
            previous = frame
            self.page.wait_for_timeout(300)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(frame)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.bi.superset.screenshot",
                                     description="Check the Superset dashboard in headless Chromium "
                                                 "and write it as a PNG.")
    parser.add_argument("--warehouse", type=Path, default=PROJECT_DIR / "warehouse",
                        help="warehouse folder holding news.duckdb (default: warehouse/)")
    parser.add_argument("--venv", type=Path, default=PROJECT_DIR / ".venv-bi",
                        help="Superset's virtualenv (default: .venv-bi/)")
    parser.add_argument("--port", type=int, default=8088,
                        help="port on 127.0.0.1 when Superset must be started (default 8088)")
    parser.add_argument("--output", type=Path, default=PROJECT_DIR / "docs" / "img" / "dashboard.png",
                        help="the PNG to write (default: docs/img/dashboard.png)")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM,
                        help=f"the Chromium executable (default: {CHROMIUM}, or $CHROMIUM)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds to wait for Superset, and for each page (default 300)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from scripts.bi.superset.bi import ADMIN_USER, HOST, BiError, Paths, start, stop_server
    from scripts.bi.superset.dashboard import CHARTS, DASHBOARD_SLUG

    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    paths = Paths(args.warehouse.resolve(), args.venv.resolve())
    try:
        started = start(paths, args.port, args.timeout)
        try:
            with DashboardBrowser(f"http://{HOST}:{started.port}", args.chromium, args.timeout) as browser:
                browser.login(ADMIN_USER, started.password)
                states = browser.open_dashboard(DASHBOARD_SLUG, [chart.name for chart in CHARTS])
                failed = problems(states, [chart.name for chart in CHARTS])
                if failed:
                    raise BrowserError("; ".join(failed))
                browser.screenshot(args.output)
        finally:
            if started.launched:
                stop_server(paths)
    except (BiError, BrowserError) as exc:
        log.error("%s", exc)
        return 2
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    log.info("wrote %s (%d charts drawn)", args.output, len(states))
    return 0


if __name__ == "__main__":
    sys.exit(main())
