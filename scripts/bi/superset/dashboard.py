"""The news warehouse's database, datasets, charts and dashboard in Superset, kept idempotent.

``provision(client, published)`` makes Superset hold exactly one of each object below, found by
name (database name, schema + table name, chart name, dashboard slug) and updated in place when it
exists, so running ``make bi`` again never duplicates anything and picks up changed definitions.

The database is the published file, opened read-only by duckdb-engine. Superset gives every query
an engine with SQLAlchemy's NullPool (``Database.get_sqla_engine(nullpool=True)`` is its default),
so each query opens the file again and sees the file the latest build published; nothing holds
the inode of a replaced file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.bi.superset.client import SupersetClient

log = logging.getLogger("bi")

DATABASE_NAME = "News warehouse"
DASHBOARD_SLUG = "news-warehouse"
DASHBOARD_TITLE = "News warehouse"
SCHEMA = "marts"


def database_payload(published: Path) -> dict[str, Any]:
    extra = {
        # duckdb.connect(<file>, read_only=True): the published file is mode 0444 and shared.
        "engine_params": {"connect_args": {"read_only": True}},
        "metadata_params": {},
        "schemas_allowed_for_file_upload": [],
    }
    return {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": f"duckdb:///{published.resolve()}",
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_dml": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_file_upload": False,
        "extra": json.dumps(extra),
    }


# A bar's label longer than this is cut, with an ellipsis: ECharts gives the labels of a horizontal bar
# chart the width the longest one needs, so one organisation's full name squeezed the bars to nothing.
LABEL_CHARS = 40


@dataclass(frozen=True)
class Dataset:
    table_name: str
    sql: str | None = None  # None: the physical table marts.<table_name>
    description: str = ""


DATASETS = (
    Dataset("speakers"),
    Dataset("numeric_claims"),
    Dataset(
        "numeric_claims_by_speaker",
        sql="select\n    claim_id,\n    unit_class,\n"
            f"    case when length(claimant) > {LABEL_CHARS}"
            f" then substr(claimant, 1, {LABEL_CHARS - 1}) || '…' else claimant end as claimed_by\n"
            "from (\n    select\n        claims.claim_id,\n        claims.unit_class,\n"
            "        case\n            when quotes.quote_id is null then '(not in a quote)'\n"
            "            else coalesce(quotes.speaker_name, '(unknown speaker)')\n"
            "        end as claimant\n"
            "    from marts.numeric_claims as claims\n"
            "    left join marts.quotes as quotes on claims.quote_id = quotes.quote_id\n"
            ") as claimed",
        description="marts.numeric_claims with claimed_by: the speaker of the quote the number "
                    f"stands in (cut to {LABEL_CHARS} characters), or (not in a quote)",
    ),
    Dataset("articles"),
    Dataset(
        "articles_by_kind",
        sql="select\n    article_id,\n    source_path,\n    loaded_at,\n"
            "    case when duplicate_of_article_id is null then 'canonical' else 'duplicate' end"
            " as article_kind\nfrom marts.articles",
        description="marts.articles with article_kind: canonical, or a duplicate of an earlier article",
    ),
)


def _sql_metric(expression: str, label: str) -> dict[str, Any]:
    return {"expressionType": "SQL", "sqlExpression": expression, "label": label,
            "hasCustomLabel": True, "optionName": "metric_" + label.lower().replace(" ", "_")}


@dataclass(frozen=True)
class Chart:
    """A chart of one dataset: ``metrics`` per value of ``groupby``, the top ``row_limit`` rows by
    ``sort_metric`` (the first metric when None). Several metrics on a bar chart are stacked."""
    name: str
    dataset: str
    viz_type: str
    description: str
    groupby: tuple[str, ...]
    metrics: tuple[dict[str, Any], ...]
    row_limit: int
    sort_metric: dict[str, Any] | None = None
    extra_params: dict[str, Any] = field(default_factory=dict)

    @property
    def order_by(self) -> dict[str, Any]:
        return self.sort_metric or self.metrics[0]

    def params(self, datasource_id: int) -> dict[str, Any]:
        common: dict[str, Any] = {
            "datasource": f"{datasource_id}__table",
            "viz_type": self.viz_type,
            "adhoc_filters": [],
            "row_limit": self.row_limit,
            "extra_form_data": {},
        }
        stacked = len(self.metrics) > 1
        if self.viz_type == "echarts_timeseries_bar":
            common.update({"x_axis": self.groupby[0], "metrics": list(self.metrics), "groupby": [],
                           "timeseries_limit_metric": self.order_by, "order_desc": True,
                           # Ascending: ECharts stacks categories bottom-up, so the largest is on top.
                           "x_axis_sort": self.order_by["label"], "x_axis_sort_asc": True,
                           "orientation": "horizontal", "stack": "Stack" if stacked else None,
                           "show_legend": stacked, "legendOrientation": "top",
                           "y_axis_format": "SMART_NUMBER", "truncate_metric": True,
                           "color_scheme": "supersetColors"})
        elif self.viz_type == "pie":
            common.update({"groupby": list(self.groupby), "metric": self.metrics[0],
                           # Labels inside the slices: outside ones are cut short in a narrow chart.
                           "sort_by_metric": True, "show_labels": True, "label_type": "key_value",
                           "labels_outside": False,
                           "show_legend": True, "legendOrientation": "top",
                           "number_format": "SMART_NUMBER", "color_scheme": "supersetColors"})
        elif self.viz_type == "table":
            common.update({"query_mode": "aggregate", "groupby": list(self.groupby),
                           "metrics": list(self.metrics), "percent_metrics": list(self.metrics),
                           "all_columns": [], "order_by_cols": [], "order_desc": True,
                           "server_page_length": 10, "table_timestamp_format": "smart_date"})
        common.update(self.extra_params)
        return common

    def query_context(self, datasource_id: int) -> dict[str, Any]:
        """What GET /api/v1/chart/<id>/data/ runs: the chart's query, saved with the chart."""
        return {
            "datasource": {"id": datasource_id, "type": "table"},
            "force": False,
            "queries": [{
                "columns": list(self.groupby),
                "metrics": list(self.metrics),
                "orderby": [[self.order_by, False]],
                "filters": [],
                "extras": {"having": "", "where": ""},
                "row_limit": self.row_limit,
                "order_desc": True,
                "annotation_layers": [],
                "url_params": {},
                "custom_params": {},
                "custom_form_data": {},
            }],
            "form_data": self.params(datasource_id),
            "result_format": "json",
            "result_type": "full",
        }


CHARTS = (
    Chart("Quotes per speaker", "speakers", "echarts_timeseries_bar",
          "The most quoted speakers (marts.speakers.quote_count), top 10.",
          ("speaker_name",), (_sql_metric("sum(quote_count)", "Quotes"),), 10),
    Chart("Direct and indirect quotes per speaker", "speakers", "echarts_timeseries_bar",
          "The most quoted speakers' direct quotes (their words in quotation marks) and indirect "
          "ones (reported speech): marts.speakers.direct_quote_count and indirect_quote_count, "
          "stacked, top 10 by quote_count.",
          ("speaker_name",), (_sql_metric("sum(direct_quote_count)", "Direct"),
                              _sql_metric("sum(indirect_quote_count)", "Indirect")), 10,
          sort_metric=_sql_metric("sum(quote_count)", "Quotes")),
    Chart("Numbers by who claimed them", "numeric_claims_by_speaker", "echarts_timeseries_bar",
          "Numeric claims (marts.numeric_claims) by the speaker of the quote they stand in "
          "(marts.quotes through quote_id), top 10; numbers outside quotes are the article's own.",
          ("claimed_by",), (_sql_metric("count(*)", "Claims"),), 10),
    Chart("Numeric claims by unit class", "numeric_claims", "pie",
          "Numeric claims (marts.numeric_claims) per unit class: count, percent, money, distance...",
          ("unit_class",), (_sql_metric("count(*)", "Claims"),), 100),
    Chart("Articles and duplicates", "articles_by_kind", "table",
          "Articles (marts.articles): canonical, and duplicates of an earlier article.",
          ("article_kind",), (_sql_metric("count(*)", "Articles"),), 10),
)
# The dashboard's grid is 12 columns wide: rows of up to three charts sharing a row's width, as
# even as they can be and the first rows the emptier (five charts: two, then three), so the first
# charts, whose bars carry long speaker names, are the widest.
CHARTS_PER_ROW = 3


def ensure_database(client: SupersetClient, published: Path) -> int:
    payload = database_payload(published)
    found = client.find("database", "database_name", DATABASE_NAME)
    if found:
        database_id = int(found[0]["id"])
        client.request("PUT", f"/api/v1/database/{database_id}", payload)
        log.info("database %r (id %d) points at %s", DATABASE_NAME, database_id, published)
        return database_id
    body = client.request("POST", "/api/v1/database/", payload)
    log.info("registered database %r (id %s) for %s", DATABASE_NAME, body["id"], published)
    return int(body["id"])


def ensure_dataset(client: SupersetClient, database_id: int, dataset: Dataset) -> int:
    found = [row for row in client.find("dataset", "table_name", dataset.table_name)
             if (row.get("database") or {}).get("id") == database_id and row.get("schema") == SCHEMA]
    if found:
        dataset_id = int(found[0]["id"])
        if dataset.sql is not None:
            client.request("PUT", f"/api/v1/dataset/{dataset_id}",
                           {"sql": dataset.sql, "description": dataset.description})
        # Columns follow the marts: a build may have added some.
        client.request("PUT", f"/api/v1/dataset/{dataset_id}/refresh")
        return dataset_id
    payload: dict[str, Any] = {"database": database_id, "schema": SCHEMA, "table_name": dataset.table_name}
    if dataset.sql is not None:
        payload["sql"] = dataset.sql
    body = client.request("POST", "/api/v1/dataset/", payload)
    dataset_id = int(body["id"])
    if dataset.description:
        client.request("PUT", f"/api/v1/dataset/{dataset_id}", {"description": dataset.description})
    log.info("created dataset %s (id %d)", dataset.table_name, dataset_id)
    return dataset_id


def ensure_dashboard(client: SupersetClient) -> int:
    found = client.find("dashboard", "slug", DASHBOARD_SLUG)
    if found:
        return int(found[0]["id"])
    body = client.request("POST", "/api/v1/dashboard/",
                          {"dashboard_title": DASHBOARD_TITLE, "slug": DASHBOARD_SLUG, "published": True})
    log.info("created dashboard %s (id %s)", DASHBOARD_SLUG, body["id"])
    return int(body["id"])


def ensure_chart(client: SupersetClient, chart: Chart, dataset_id: int, dashboard_id: int) -> int:
    payload = {
        "slice_name": chart.name,
        "description": chart.description,
        "viz_type": chart.viz_type,
        "datasource_id": dataset_id,
        "datasource_type": "table",
        "params": json.dumps(chart.params(dataset_id)),
        "query_context": json.dumps(chart.query_context(dataset_id)),
        "query_context_generation": False,
        "dashboards": [dashboard_id],
    }
    found = client.find("chart", "slice_name", chart.name)
    if found:
        chart_id = int(found[0]["id"])
        client.request("PUT", f"/api/v1/chart/{chart_id}", payload)
        return chart_id
    body = client.request("POST", "/api/v1/chart/", payload)
    log.info("created chart %r (id %s)", chart.name, body["id"])
    return int(body["id"])


def dashboard_layout(charts: list[tuple[int, Chart]]) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": DASHBOARD_TITLE}},
    }
    rows = -(-len(charts) // CHARTS_PER_ROW)  # the fewest rows, then as even as they can be
    size, longer = divmod(len(charts), rows)
    sizes = [size] * (rows - longer) + [size + 1] * longer
    start = 0
    for number, count in enumerate(sizes, start=1):
        in_row = charts[start:start + count]
        start += count
        row = f"ROW-news-{number}"
        layout["GRID_ID"]["children"].append(row)
        layout[row] = {"type": "ROW", "id": row, "children": [], "parents": ["ROOT_ID", "GRID_ID"],
                       "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        for chart_id, chart in in_row:
            key = f"CHART-{chart_id}"
            layout[row]["children"].append(key)
            layout[key] = {"type": "CHART", "id": key, "children": [],
                           "parents": ["ROOT_ID", "GRID_ID", row],
                           "meta": {"chartId": chart_id, "width": 12 // len(in_row), "height": 60,
                                    "sliceName": chart.name}}
    return layout


def provision(client: SupersetClient, published: Path) -> dict[str, Any]:
    """Create or update everything; return the ids (database, datasets, charts, dashboard)."""
    database_id = ensure_database(client, published)
    datasets = {d.table_name: ensure_dataset(client, database_id, d) for d in DATASETS}
    dashboard_id = ensure_dashboard(client)
    charts = [(ensure_chart(client, c, datasets[c.dataset], dashboard_id), c) for c in CHARTS]
    metadata = {"color_scheme": "supersetColors", "refresh_frequency": 0, "cross_filters_enabled": True,
                "native_filter_configuration": [], "expanded_slices": {}, "label_colors": {},
                "timed_refresh_immune_slices": [], "default_filters": "{}"}
    client.request("PUT", f"/api/v1/dashboard/{dashboard_id}",
                   {"dashboard_title": DASHBOARD_TITLE, "slug": DASHBOARD_SLUG, "published": True,
                    "position_json": json.dumps(dashboard_layout(charts)),
                    "json_metadata": json.dumps(metadata)})
    return {"database_id": database_id, "datasets": datasets, "dashboard_id": dashboard_id,
            "charts": {c.name: chart_id for chart_id, c in charts}}
