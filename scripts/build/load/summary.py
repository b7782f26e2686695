"""What one load did, counted: the numbers behind the loader's summary line and raw.loads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LoadSummary:
    load_id: int
    loaded: int = 0
    unchanged: int = 0
    rejected: int = 0
    files_seen: int = 0
    uncertain: int = 0  # loaded with an encoding the detector was not sure of (source_encoding says so)
    retracted: int = 0  # articles whose files are gone, taken out (--prune)
    skipped: Counter[str] = field(default_factory=Counter)  # files that are not articles, by extension

    def line(self) -> str:
        """`loaded 3, unchanged 40, rejected 1 (of 44 inputs: files or JSON lines); skipped 3 .html, 1 .md`."""
        text = (f"loaded {self.loaded}, unchanged {self.unchanged}, rejected {self.rejected} "
                f"(of {self.files_seen} inputs: files or JSON lines)")
        if self.uncertain:
            text += f"; {self.uncertain} loaded with an uncertain encoding (source_encoding says which)"
        if self.retracted:
            text += f"; retracted {self.retracted} whose files are gone"
        if self.skipped:
            counts = sorted(self.skipped.items(), key=lambda item: (-item[1], item[0]))
            text += "; skipped " + ", ".join(f"{count} {ext}" for ext, count in counts) + " (not article files)"
        return text
