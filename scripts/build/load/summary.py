"""What one load did, counted: the numbers behind the loader's summary line and raw.loads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class LoadSummary:
    load_id: int
    loaded: int = 0
    unchanged: int = 0
    rejected: int = 0
    files_seen: int = 0
