"""Integration test of `make bi`: Apache Superset on a real build, driven through its REST API.

Skipped unless NEWS_TEST_BI=1 (`make test-bi` sets it after installing .venv-bi from the `bi` group
of pyproject.toml, and Playwright with Debian's chromium). The module builds data/articles with
`make build` into a temporary warehouse, starts Superset with `make bi` on a free port of 127.0.0.1,
opens the dashboard once in headless Chromium, and always stops Superset with `make bi-stop`.
Every request goes to 127.0.0.1 with a timeout; the test makes a few dozen requests in all.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import stat
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from scripts.bi.superset.client import SupersetClient, SupersetError
from scripts.bi.superset.dashboard import LABEL_CHARS, provision
from scripts.bi.superset.screenshot import DashboardBrowser, problems

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"
BI_VENV = ROOT / ".venv-bi"
DASHBOARD_SLUG = "news-warehouse"
DATABASE_NAME = "News warehouse"
CHARTS = {"Quotes per speaker", "Direct and indirect quotes per speaker", "Numbers by who claimed them",
          "Numeric claims by unit class", "Articles and duplicates"}
TOP = 10  # bars in the bar charts

pytestmark = pytest.mark.skipif(
    os.environ.get("NEWS_TEST_BI") != "1",
    reason="Superset integration test (minutes, needs .venv-bi): run `make test-bi` or set NEWS_TEST_BI=1",
)


@dataclass
class Stack:
    articles: Path
    warehouse: Path
    port: int
    password: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def published(self) -> Path:
        return self.warehouse / "news.duckdb"

    def client(self, password: str | None = None) -> SupersetClient:
        client = SupersetClient(self.url, timeout=120)
        client.login("admin", password or self.password)
        return client


def make(target: str, *, env: dict[str, str] | None = None, timeout: float = 900,
         **variables: object) -> subprocess.CompletedProcess[str]:
    command = ["make", "--no-print-directory", "-C", str(ROOT), target,
               *(f"{name}={value}" for name, value in variables.items())]
    result = subprocess.run(command, env=env or _env(), capture_output=True, text=True, check=False,
                            timeout=timeout)
    assert result.returncode == 0, f"make {target} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SUPERSET_ADMIN_PASSWORD"}
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _warehouse(stack: Stack, sql: str) -> list[tuple]:
    con = duckdb.connect(str(stack.published), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not (BI_VENV / ".installed").exists() or not (BI_VENV / "bin" / "gunicorn").exists():
        pytest.skip("the bi environment (.venv-bi) is not installed: `make test-bi` installs it from PyPI "
                    "(apache-superset and the rest of the `bi` group of pyproject.toml)")
    root = tmp_path_factory.mktemp("bi")
    articles = root / "articles"
    shutil.copytree(SAMPLES, articles)
    warehouse = root / "warehouse"
    make("build", ARTICLES=articles, WAREHOUSE=warehouse)
    port = _free_port()
    try:
        make("bi", WAREHOUSE=warehouse, BI_PORT=port)
        password = (warehouse / "superset" / "admin-password").read_text(encoding="utf-8").strip()
        yield Stack(articles, warehouse, port, password)
    finally:
        make("bi-stop", WAREHOUSE=warehouse, timeout=120)
        assert not _port_open(port), "Superset still listens after make bi-stop"


@pytest.fixture(scope="module")
def client(stack: Stack) -> SupersetClient:
    return stack.client()


@pytest.fixture(scope="module")
def database_id(client: SupersetClient) -> int:
    found = client.find("database", "database_name", DATABASE_NAME)
    assert len(found) == 1
    return int(found[0]["id"])


@pytest.fixture(scope="module")
def browser(stack: Stack) -> Iterator[DashboardBrowser]:
    """Headless Chromium (Debian's, driven by Playwright), logged in as admin once for the module."""
    with DashboardBrowser(stack.url) as browser:
        browser.login("admin", stack.password)
        yield browser


def _chart_ids(client: SupersetClient) -> dict[str, int]:
    body = client.request("GET", f"/api/v1/dashboard/{DASHBOARD_SLUG}/charts")
    return {chart["slice_name"]: int(chart["id"]) for chart in body["result"]}


def _chart_rows(client: SupersetClient, chart_id: int) -> list[dict]:
    body = client.request("GET", f"/api/v1/chart/{chart_id}/data/")
    result = body["result"][0]
    assert not result.get("error"), result.get("error")
    return list(result["data"])


def _object_counts(client: SupersetClient) -> dict[str, int]:
    return {kind: client.request("GET", f"/api/v1/{kind}/", q={"page_size": 100})["count"]
            for kind in ("database", "dataset", "chart", "dashboard")}


def test_secrets_are_generated_private_files(stack: Stack) -> None:
    home = stack.warehouse / "superset"
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for name in ("admin-password", "secret-key"):
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600, name
    assert len(stack.password) >= 16 and stack.password.lower() not in {"admin", "password"}
    for name in ("superset.db", "superset.log", "superset.pid"):
        assert (home / name).exists(), name


def test_login_and_sql_lab_count_equals_warehouse(stack: Stack, client: SupersetClient,
                                                  database_id: int) -> None:
    for table in ("articles", "quotes", "numeric_claims"):
        rows = client.sql(database_id, f"select count(*) as n from marts.{table}")
        assert rows == [{"n": _warehouse(stack, f"select count(*) from marts.{table}")[0][0]}], table


def test_database_is_the_published_file_read_only(stack: Stack, client: SupersetClient,
                                                  database_id: int) -> None:
    # Superset 6 leaves the URI out of GET /database/<id>; /connection returns it (password masked).
    body = client.request("GET", f"/api/v1/database/{database_id}/connection")["result"]
    assert body["sqlalchemy_uri"] == f"duckdb:///{stack.published.resolve()}"
    assert json.loads(body["extra"])["engine_params"]["connect_args"]["read_only"] is True
    rows = client.sql(database_id, "select current_setting('access_mode') as mode")
    assert rows == [{"mode": "read_only"}]
    with pytest.raises(SupersetError):
        client.sql(database_id, "create table marts.scratch as select 1 as x")


def _assert_top(shown: dict[str, int], everyone: dict[str, int]) -> None:
    """A bar chart shows the TOP largest values of the warehouse, each under its own name."""
    assert shown and all(shown[name] == everyone[name] for name in shown)
    assert sorted(shown.values(), reverse=True) == sorted(everyone.values(), reverse=True)[:TOP]


def test_dashboard_charts_return_the_warehouse_figures(stack: Stack, client: SupersetClient) -> None:
    charts = _chart_ids(client)
    assert set(charts) == CHARTS

    speakers = {row["speaker_name"]: row["Quotes"] for row in _chart_rows(client, charts["Quotes per speaker"])}
    _assert_top(speakers, dict(_warehouse(
        stack, "select speaker_name, sum(quote_count) from marts.speakers group by 1")))

    by_type = {row["speaker_name"]: (row["Direct"], row["Indirect"])
               for row in _chart_rows(client, charts["Direct and indirect quotes per speaker"])}
    types = {name: (direct, indirect) for name, direct, indirect in _warehouse(stack, """
        select speaker_name, sum(direct_quote_count), sum(indirect_quote_count) from marts.speakers group by 1""")}
    assert by_type and all(by_type[name] == types[name] for name in by_type)
    _assert_top({name: sum(counts) for name, counts in by_type.items()}, dict(_warehouse(
        stack, "select speaker_name, sum(quote_count) from marts.speakers group by 1")))

    claimants = {row["claimed_by"]: row["Claims"]
                 for row in _chart_rows(client, charts["Numbers by who claimed them"])}
    claimed = Counter()  # the chart's labels: a name longer than LABEL_CHARS cut, with an ellipsis
    for name, count in _warehouse(stack, """
            select case when q.quote_id is null then '(not in a quote)'
                        else coalesce(q.speaker_name, '(unknown speaker)') end, count(*)
            from marts.numeric_claims c left join marts.quotes q using (quote_id) group by 1"""):
        claimed[name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "…"] += count
    _assert_top(claimants, dict(claimed))

    claims = {row["unit_class"]: row["Claims"] for row in _chart_rows(client, charts["Numeric claims by unit class"])}
    assert claims == dict(_warehouse(stack, "select unit_class, count(*) from marts.numeric_claims group by 1"))

    kinds = {row["article_kind"]: row["Articles"] for row in _chart_rows(client, charts["Articles and duplicates"])}
    assert kinds == dict(_warehouse(stack, """
        select case when duplicate_of_article_id is null then 'canonical' else 'duplicate' end, count(*)
        from marts.articles group by 1"""))


def test_dashboard_draws_every_chart_in_a_browser(browser: DashboardBrowser, tmp_path: Path) -> None:
    states = browser.open_dashboard(DASHBOARD_SLUG, CHARTS)
    assert {state.name for state in states} == CHARTS
    assert problems(states, CHARTS) == []
    assert all(state.drew and state.error is None for state in states)
    assert browser.blocked == [], "the browser tried to reach a host other than 127.0.0.1"
    browser.screenshot(tmp_path / "dashboard.png")
    assert (tmp_path / "dashboard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_browser_sees_a_chart_that_fails(stack: Stack, client: SupersetClient,
                                         browser: DashboardBrowser) -> None:
    """A chart whose query fails shows Superset's error alert, and the browser check names it."""
    name = "Numeric claims by unit class"
    chart_id = _chart_ids(client)[name]
    params = json.loads(client.request("GET", f"/api/v1/chart/{chart_id}")["result"]["params"])
    params["metric"] = dict(params["metric"], sqlExpression="sum(no_such_column)")
    client.request("PUT", f"/api/v1/chart/{chart_id}", {"params": json.dumps(params)})
    try:
        states = {state.name: state for state in browser.open_dashboard(DASHBOARD_SLUG, CHARTS)}
    finally:
        provision(client, stack.published)  # the chart's definition back, as make bi leaves it
    assert states[name].error is not None and "no_such_column" in states[name].error
    assert problems(list(states.values()), CHARTS) == [f"chart {name!r} shows an error: {states[name].error}"]


def test_make_bi_again_duplicates_nothing(stack: Stack, client: SupersetClient) -> None:
    before = _object_counts(client)
    result = make("bi", WAREHOUSE=stack.warehouse, BI_PORT=stack.port)
    assert "already runs" in result.stderr
    assert _object_counts(client) == before
    assert before["database"] == 1 and before["dashboard"] == 1 and before["chart"] == len(CHARTS)


def test_rebuild_is_seen_by_the_running_server(stack: Stack, client: SupersetClient, database_id: int) -> None:
    """The build replaces news.duckdb (a new inode); the next query must read the new file."""
    count = client.sql(database_id, "select count(*) as n from marts.articles")[0]["n"]
    first = sorted(stack.articles.glob("*.txt"))[0]
    shutil.copyfile(first, stack.articles / "zz_republished_copy.txt")
    make("build", ARTICLES=stack.articles, WAREHOUSE=stack.warehouse)
    assert client.sql(database_id, "select count(*) as n from marts.articles") == [{"n": count + 1}]
    kinds = {row["article_kind"]: row["Articles"]
             for row in _chart_rows(client, _chart_ids(client)["Articles and duplicates"])}
    assert kinds.get("duplicate", 0) >= 1 and sum(kinds.values()) == count + 1


def test_restart_takes_the_password_from_the_environment(stack: Stack) -> None:
    make("bi-stop", WAREHOUSE=stack.warehouse, timeout=120)
    assert not _port_open(stack.port)
    assert not (stack.warehouse / "superset" / "superset.pid").exists()
    chosen = "t3st-" + secrets.token_urlsafe(12)
    make("bi", env=_env(SUPERSET_ADMIN_PASSWORD=chosen), WAREHOUSE=stack.warehouse, BI_PORT=stack.port)
    client = stack.client(chosen)
    with pytest.raises(SupersetError) as refused:
        stack.client(stack.password)
    assert refused.value.status == 401
    assert _object_counts(client)["dashboard"] == 1
    stack.password = chosen  # for the later tests of the module, if any
