"""Writing one load's rows into the raw tables, a batch at a time, inside the load's transaction."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import duckdb

from scripts.build.load.jsonl import JsonlCheckpoint
from scripts.build.load.raw_tables import ARTICLE_JSON_COLUMNS

RETRACTED_REASON = "retracted: no longer in the input (build --prune)"


class Recorder:
    """Writes one load's rows inside the caller's transaction, a batch at a time."""

    def __init__(self, con: duckdb.DuckDBPyConnection, load_id: int, loaded_at: datetime,
                 tmp_dir: Path) -> None:
        self.con = con
        self.load_id = load_id
        self.loaded_at = loaded_at
        self.tmp_dir = tmp_dir

    def existing_keys(self, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """The subset of (source_path, content_sha256) pairs already in raw.articles."""
        if not keys:
            return set()
        rows = self.con.execute(
            """
            select a.source_path, a.content_sha256
            from raw.articles a
            join (select unnest(from_json($1, '["VARCHAR"]')) as source_path,
                         unnest(from_json($2, '["VARCHAR"]')) as content_sha256) k
              using (source_path, content_sha256)
            """,
            [_json_list(k[0] for k in keys), _json_list(k[1] for k in keys)],
        ).fetchall()
        return {(r[0], r[1]) for r in rows}

    def known_file_stats(self) -> dict[str, tuple[int, int]]:
        """source_path -> (byte_size, file_mtime_ns) of the newest stored version of each file."""
        rows = self.con.execute(
            """
            select source_path, byte_size, file_mtime_ns
            from raw.articles
            where file_mtime_ns is not null
            qualify row_number() over (partition by source_path order by loaded_at desc, load_id desc) = 1
            """
        ).fetchall()
        return {path: (size, mtime) for path, size, mtime in rows}

    def record_mtimes(self, keys: Sequence[tuple[str, str, int | None]]) -> None:
        """Remember the modification time of files found unchanged by their content hash."""
        keys = [k for k in keys if k[2] is not None]
        if not keys:
            return
        self.con.execute(
            """
            update raw.articles as a
            set file_mtime_ns = k.file_mtime_ns
            from (select unnest(from_json($1, '["VARCHAR"]')) as source_path,
                         unnest(from_json($2, '["VARCHAR"]')) as content_sha256,
                         unnest(from_json($3, '["BIGINT"]')) as file_mtime_ns) as k
            where a.source_path = k.source_path and a.content_sha256 = k.content_sha256
            """,
            [_json_list(k[0] for k in keys), _json_list(k[1] for k in keys), _json_list(k[2] for k in keys)],
        )

    def jsonl_checkpoint(self, label: str) -> JsonlCheckpoint | None:
        """How far the last load read the JSON Lines file named ``label`` (None: never read)."""
        row = self.con.execute(
            "select prefix_bytes, prefix_sha256, lines, articles, errors from raw.jsonl_checkpoints "
            "where label = $1", [label]).fetchone()
        if row is None:
            return None
        ids = self.con.execute("select key, line from raw.jsonl_checkpoint_ids where label = $1",
                               [label]).fetchall()
        return JsonlCheckpoint(row[0], row[1], row[2], row[3], row[4], dict(ids))

    def save_jsonl_checkpoint(self, label: str, checkpoint: JsonlCheckpoint, after_line: int = 0) -> None:
        """Store ``checkpoint``; the ids of lines up to ``after_line`` are stored already (a resumed read)."""
        self.con.execute("delete from raw.jsonl_checkpoints where label = $1", [label])
        self.con.execute(
            "insert into raw.jsonl_checkpoints values ($1, $2, $3, $4, $5, $6, $7)",
            [label, self.load_id, checkpoint.prefix_bytes, checkpoint.prefix_sha256, checkpoint.lines,
             checkpoint.articles, checkpoint.errors])
        self.con.execute("delete from raw.jsonl_checkpoint_ids where label = $1 and line > $2", [label, after_line])
        new_ids = ({"key": key, "line": line} for key, line in checkpoint.ids.items() if line > after_line)
        # A list bound as one parameter took 100 s for a million ids: they go through a file.
        self._bulk_insert("raw.jsonl_checkpoint_ids", "{key: 'VARCHAR', line: 'BIGINT'}", new_ids,
                          "select $1, key, line", [label])

    def insert_articles(self, rows: Iterable[dict[str, object]]) -> int:
        """Bulk-insert article rows."""
        return self._bulk_insert(
            "raw.articles (source_path, content_sha256, byte_size, encoding, text, published_at, load_id, "
            "loaded_at, file_mtime_ns, source_name, url)",
            ARTICLE_JSON_COLUMNS, rows,
            "select source_path, content_sha256, byte_size, encoding, text, published_at, $1, $2, file_mtime_ns, "
            "source_name, url",
            [self.load_id, self.loaded_at])

    def _bulk_insert(self, target: str, columns: str, rows: Iterable[dict[str, object]], select: str,
                     params: list[object]) -> int:
        """Insert ``rows`` into ``target`` through a temporary newline-delimited JSON file read back
        with the given ``columns`` types by ``select ... from <the file>`` (never one INSERT per row)."""
        fd, name = tempfile.mkstemp(prefix=".load_articles-", suffix=".ndjson", dir=self.tmp_dir)
        tmp = Path(name)
        try:
            count = 0
            longest = 0
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                for row in rows:
                    line = json.dumps(row, ensure_ascii=False)
                    longest = max(longest, len(line))
                    out.write(line)
                    out.write("\n")
                    count += 1
            if count:
                # A line is at most 4 bytes per character; read_json needs the largest object size.
                max_object = max(16 * 1024 * 1024, 4 * longest + 1024)
                self.con.execute(
                    f"""
                    insert into {target}
                    {select}
                    from read_json({_sql_string(tmp)}, columns={columns},
                                   format='newline_delimited', maximum_object_size={max_object})
                    """,
                    params,
                )
            return count
        finally:
            tmp.unlink(missing_ok=True)

    def retract_missing(self, present: set[str], jsonl_labels: Sequence[str]) -> int:
        """Take out of raw.articles every article whose source_path is not in ``present`` (the files and
        JSON Lines records of the input, read whole); list each in raw.load_errors as retracted.
        Returns how many source paths were retracted. The JSON Lines checkpoints of files not in
        ``jsonl_labels`` go too (a file that comes back is read whole)."""
        stored = [path for (path,) in self.con.execute("select distinct source_path from raw.articles").fetchall()]
        gone = sorted(path for path in stored if path not in present)
        if gone:
            self.con.execute("delete from raw.articles where source_path in "
                             "(select unnest(from_json($1, '[\"VARCHAR\"]')))", [_json_list(gone)])
            self.insert_errors([(path, RETRACTED_REASON, None) for path in gone])
        for table in ("raw.jsonl_checkpoints", "raw.jsonl_checkpoint_ids"):
            self.con.execute(f"delete from {table} where label not in (select unnest(from_json($1, '[\"VARCHAR\"]')))",
                             [_json_list(jsonl_labels)])
        return len(gone)

    def insert_errors(self, errors: Sequence[tuple[str, str, str | None]]) -> None:
        """Bulk-insert (source_path, reason, content_sha256) rows not already recorded."""
        if not errors:
            return
        self.con.execute(
            """
            insert into raw.load_errors (source_path, reason, content_sha256, load_id, loaded_at)
            select e.source_path, e.reason, e.content_sha256, $4, $5
            from (select unnest(from_json($1, '["VARCHAR"]')) as source_path,
                         unnest(from_json($2, '["VARCHAR"]')) as reason,
                         unnest(from_json($3, '["VARCHAR"]')) as content_sha256) e
            where not exists (
                select 1 from raw.load_errors o
                where o.source_path = e.source_path
                  and o.reason = e.reason
                  and o.content_sha256 is not distinct from e.content_sha256)
            """,
            [_json_list(e[0] for e in errors), _json_list(e[1] for e in errors), _json_list(e[2] for e in errors),
             self.load_id, self.loaded_at],
        )


def _json_list(values: Iterable[object]) -> str:
    """A list as one JSON text parameter, read back in SQL with from_json(..., '["VARCHAR"]').

    DuckDB converts a Python list parameter element by element, and without numpy and pandas it
    looks for both on every element: 5,000 keys took about a second that way."""
    return json.dumps(list(values), ensure_ascii=False)


def _sql_string(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"
