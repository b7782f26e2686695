"""dbt-project-evaluator on the project, offline (`make evaluate-project`).

    python -m scripts.quality.project_evaluator [--evaluator REPO] [--utils REPO] [--keep DIR]

The package is not installed into the project (`dbt deps` needs the package hub, and no third-party
code is committed), so it runs on a scratch copy in a temporary folder:
- the project's files: those git tracks, and the untracked ones it does not ignore, as they are in
  the working tree;
- dbt-labs/dbt-project-evaluator v1.3.2 and dbt-labs/dbt-utils 1.4.1 in its dbt_packages/, taken from
  git repositories already on this machine (bare or not; by default ../.mirror/dbt-labs+<name>/repo
  beside the project) at those tags, or from a folder that is the package itself, with a packages.yml
  naming them;
- in its dbt_project.yml: the dispatch the package needs on DuckDB, the project's exceptions
  (dbt_project_evaluator_exceptions.csv beside this file, one line of reason each) in place of the
  package's empty seed, and an on-run-end hook that prints the findings as JSON.
`dbt build --select package:dbt_project_evaluator dbt_project_evaluator_exceptions` then runs against
the in-memory `lint` target of profiles.yml. Prints the findings rule by rule and exits 1 when any is
left but the marts' names: models/marts keep plain entity names (articles, quotes, ...; jaffle-shop's
convention), the public names of the warehouse, where the package wants fct_/dim_ prefixes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts import PROJECT_DIR
from scripts.build.dbt_command import DBT_NO_TRACKING
from scripts.build.logs import configure_logging

log = logging.getLogger("project_evaluator")

EVALUATOR_VERSION = "v1.3.2"
UTILS_VERSION = "1.4.1"
MIRRORS = PROJECT_DIR.parent / ".mirror"
EXCEPTIONS = Path(__file__).with_name("dbt_project_evaluator_exceptions.csv")
# The findings the project keeps: the rule and the model_type of its rows.
KEPT = {"fct_model_naming_conventions": "marts"}
DBT_LOG_TAIL = 40


class EvaluatorError(Exception):
    """An expected failure, reported in one line."""


@dataclass(frozen=True)
class Package:
    name: str  # the folder under dbt_packages/
    hub_name: str  # packages.yml's name
    version: str  # the git tag
    source: Path  # a git repository, or a folder holding the package


@dataclass(frozen=True)
class Finding:
    rule: str
    row: dict[str, object]

    @property
    def kept(self) -> bool:
        return KEPT.get(self.rule) is not None and self.row.get("model_type") == KEPT[self.rule]

    def line(self) -> str:
        shown = {key: value for key, value in self.row.items() if key not in ("is_loop_independent",)}
        return ", ".join(f"{key}={value}" for key, value in shown.items())


def git_dir(source: Path) -> Path | None:
    """The git directory of a bare repository or of a clone, else None."""
    if (source / "HEAD").is_file() and (source / "objects").is_dir():
        return source
    if (source / ".git").exists():
        return source / ".git"
    return None


def extract_package(package: Package, destination: Path) -> None:
    """The package at its tag (from git) or as it is (a folder with its dbt_project.yml) into destination."""
    repository = git_dir(package.source)
    if repository is not None:
        result = subprocess.run(["git", f"--git-dir={repository}", "archive", "--format=tar", package.version],
                                capture_output=True, check=False)
        if result.returncode != 0:
            raise EvaluatorError(f"{package.source} has no tag {package.version} of {package.hub_name}: "
                                 f"{result.stderr.decode(errors='replace').strip().splitlines()[-1:]}")
        destination.mkdir(parents=True)
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
            # The `data` filter (no links out, no devices) where Python has it (3.10.12, 3.11.4 on).
            archive.extractall(destination, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    elif (package.source / "dbt_project.yml").is_file():
        shutil.copytree(package.source, destination)
    else:
        raise EvaluatorError(
            f"{package.hub_name} not found at {package.source}: clone github.com/{package.hub_name.replace('_', '-')} "
            f"there (tag {package.version}), or pass its clone or folder on the command line")


def project_files(root: Path) -> list[str]:
    """The project's files as the working tree has them: tracked, and untracked but not ignored."""
    result = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=root, capture_output=True, check=False)
    if result.returncode != 0:
        raise EvaluatorError(f"git ls-files failed in {root}: {result.stderr.decode(errors='replace').strip()}")
    return [name for name in result.stdout.decode().split("\0") if name and (root / name).is_file()]


def prepare(scratch: Path, packages: Sequence[Package]) -> None:
    """The scratch project: the files, the packages, packages.yml, the exceptions seed, the configuration."""
    for name in project_files(PROJECT_DIR):
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT_DIR / name, target)
    for package in packages:
        extract_package(package, scratch / "dbt_packages" / package.name)
    (scratch / "packages.yml").write_text(yaml.safe_dump({"packages": [
        {"package": package.hub_name, "version": package.version.lstrip("v")} for package in packages]}))
    shutil.copyfile(EXCEPTIONS, scratch / "seeds" / EXCEPTIONS.name)
    config_path = scratch / "dbt_project.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["dispatch"] = [{"macro_namespace": "dbt", "search_order": ["dbt_project_evaluator", "dbt"]}]
    config.setdefault("seeds", {})["dbt_project_evaluator"] = {
        "dbt_project_evaluator_exceptions": {"+enabled": False}}
    hooks = config.get("on-run-end") or []
    config["on-run-end"] = [*([hooks] if isinstance(hooks, str) else hooks),
                            "{{ dbt_project_evaluator.print_dbt_project_evaluator_issues(format='json') }}"]
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def run_dbt(scratch: Path) -> str:
    """`dbt build` of the package and the exceptions seed on the in-memory target; dbt's output."""
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt) if dbt.exists() else "dbt", "build",
               "--select", "package:dbt_project_evaluator", "dbt_project_evaluator_exceptions",
               "--project-dir", str(scratch), "--profiles-dir", str(scratch), "--target", "lint",
               "--no-use-colors", "--log-path", str(scratch / "logs")]
    log.info("dbt-project-evaluator %s on a copy of the project in %s", EVALUATOR_VERSION, scratch)
    result = subprocess.run(command, cwd=scratch, env={**os.environ, **DBT_NO_TRACKING},
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-DBT_LOG_TAIL:])
        raise EvaluatorError(f"dbt build of the package failed (exit {result.returncode}):\n{tail}")
    return result.stdout


def findings(output: str) -> list[Finding]:
    """The rows the on-run-end hook printed, as one JSON list of {test_name, results}."""
    for line in reversed(output.splitlines()):
        if line.startswith("["):
            try:
                tests = json.loads(line)
            except ValueError:
                continue
            return [Finding(_rule(test["test_name"]), row) for test in tests for row in test["results"]]
    raise EvaluatorError("the package printed no findings list (its on-run-end hook did not run)")


def _rule(test_name: str) -> str:
    """`dbt_project_evaluator.marts.dag.is_empty_fct_too_many_joins_` -> `fct_too_many_joins`."""
    name = test_name.rsplit(".", 1)[-1]
    return name.removeprefix("is_empty_").rstrip("_")


def report(found: Sequence[Finding]) -> int:
    """Log the findings rule by rule; 1 when any is not kept."""
    rules = sorted({finding.rule for finding in found})
    for rule in rules:
        rows = [finding for finding in found if finding.rule == rule]
        kept = all(finding.kept for finding in rows)
        log.info("%s: %d%s", rule, len(rows), " (kept: the marts' public names)" if kept else "")
        for finding in rows:
            log.info("  %s", finding.line())
    open_findings = [finding for finding in found if not finding.kept]
    with EXCEPTIONS.open(encoding="utf-8", newline="") as handle:
        exceptions = sum(1 for _ in csv.DictReader(handle))
    log.info("%d findings, %d of them kept; not counted: the %d exceptions of %s, each with its reason",
             len(found), len(found) - len(open_findings), exceptions, EXCEPTIONS.relative_to(PROJECT_DIR))
    if open_findings:
        log.error("%d findings to fix (or to list in %s with a reason)", len(open_findings), EXCEPTIONS.name)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scripts.quality.project_evaluator",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--evaluator", type=Path, default=MIRRORS / "dbt-labs+dbt-project-evaluator" / "repo",
                        help="git repository (or package folder) of dbt-labs/dbt-project-evaluator")
    parser.add_argument("--utils", type=Path, default=MIRRORS / "dbt-labs+dbt-utils" / "repo",
                        help="git repository (or package folder) of dbt-labs/dbt-utils")
    parser.add_argument("--keep", type=Path, help="make the scratch project here and keep it (an empty folder)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging()
    packages = [Package("dbt_utils", "dbt-labs/dbt_utils", UTILS_VERSION, args.utils),
                Package("dbt_project_evaluator", "dbt-labs/dbt_project_evaluator", EVALUATOR_VERSION, args.evaluator)]
    try:
        if args.keep:
            if args.keep.exists() and any(args.keep.iterdir()):
                raise EvaluatorError(f"--keep {args.keep} is not an empty folder")
            args.keep.mkdir(parents=True, exist_ok=True)
            prepare(args.keep.resolve(), packages)
            return report(findings(run_dbt(args.keep.resolve())))
        with tempfile.TemporaryDirectory(prefix="project-evaluator-") as scratch:
            prepare(Path(scratch), packages)
            return report(findings(run_dbt(Path(scratch))))
    except EvaluatorError as exc:
        log.error("%s", exc)
        return 2


if __name__ == "__main__":
    sys.exit(main())
