#!/usr/bin/env python3
"""Dependency audit that works offline: every pin of the lock files against a vendored snapshot of
the PyPA advisory database (.ci/advisories.json). pip-audit needs the network; CI and `make lint`
must not. The snapshot is only as fresh as its date: refresh it when bumping pins.

    python .ci/audit.py [LOCKFILE ...]         exit 1 when a pinned version is affected
    python .ci/audit.py --refresh CHECKOUT     rebuild the snapshot from a checkout of
                                               pypa/advisory-database (needs PyYAML)
"""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "advisories.json"
LOCKS = [HERE.parent / "requirements.lock", HERE.parent / "requirements-dev.lock"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(paths: list[Path]) -> dict[str, str]:
    found = {}
    for path in paths:
        for line in path.read_text().splitlines():
            if match := PIN.match(line.strip()):
                found[normalize(match[1])] = match[2]
    return found


def affects(ranges: list[list[str | None]], version: str) -> bool:
    """ranges: [introduced, fixed, last_affected] triples, as in OSV's ECOSYSTEM events."""
    try:
        pinned = Version(version)
    except InvalidVersion:
        return False
    for introduced, fixed, last_affected in ranges:
        if pinned < Version(introduced or "0"):
            continue
        if fixed and pinned >= Version(fixed):
            continue
        if last_affected and pinned > Version(last_affected):
            continue
        return True
    return False


def findings(pinned: dict[str, str], snapshot: dict) -> list[str]:
    return [
        f"{name}=={pinned[name]}: {advisory['id']} ({', '.join(advisory['aliases'])}) {advisory['summary']}"
        for advisory in snapshot["advisories"]
        if (name := advisory["package"]) in pinned and affects(advisory["ranges"], pinned[name])
    ]


def refresh(source: Path) -> None:
    """source: a checkout of the database, or its git directory (a bare mirror)."""
    import tarfile
    import tempfile

    import yaml  # only for the refresh, never in CI

    git = ["git", "-C", source] if (source / "vulns").is_dir() else ["git", f"--git-dir={source}"]
    head = subprocess.run([*git, "log", "-1", "--format=%H %cs"], capture_output=True, text=True, check=True)
    commit, _, date = head.stdout.strip().partition(" ")
    checkout = source
    if not (source / "vulns").is_dir():
        checkout = Path(tempfile.mkdtemp())
        archive = subprocess.run([*git, "archive", "HEAD", "vulns"], capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(checkout, filter="data")
    wanted = set(pins(LOCKS))
    advisories = []
    for path in sorted((checkout / "vulns").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text())
        for affected in data.get("affected", []):
            package = normalize(affected["package"]["name"])
            if package not in wanted or data.get("withdrawn"):
                continue
            ranges = []
            for range_ in affected.get("ranges", []):
                if range_["type"] != "ECOSYSTEM":
                    continue
                start = None
                for event in range_["events"]:
                    if "introduced" in event:
                        if start is not None:
                            ranges.append([start, None, None])
                        start = str(event["introduced"])
                    elif start is not None and ("fixed" in event or "last_affected" in event):
                        ranges.append([start, event.get("fixed"), event.get("last_affected")])
                        start = None
                if start is not None:
                    ranges.append([start, None, None])
            summary = (data.get("summary") or data.get("details") or "").strip().split("\n")[0]
            advisories.append(
                {
                    "id": data["id"],
                    "aliases": sorted(data.get("aliases", [])),
                    "package": package,
                    "ranges": [[str(v) if v is not None else None for v in r] for r in ranges],
                    "summary": summary[:160],
                }
            )
    header = {
        "source": "PyPA advisory database (pypa/advisory-database), CC-BY-4.0; only the packages of our lock files",
        "commit": commit,
        "date": date,
    }
    lines = ",\n".join(json.dumps(advisory, sort_keys=True) for advisory in advisories)
    SNAPSHOT.write_text(json.dumps(header)[:-1] + ', "advisories": [\n' + lines + "\n]}\n")
    print(f"{len(advisories)} advisories for {len(wanted)} pinned packages, snapshot of {date}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--refresh"]:
        refresh(Path(argv[1]))
        return 0
    snapshot = json.loads(SNAPSHOT.read_text())
    locks = [Path(arg) for arg in argv] or LOCKS
    problems = findings(pins(locks), snapshot)
    for problem in problems:
        print(problem)
    print(
        f"audit: {len(problems)} known vulnerabilities in {len(pins(locks))} pins "
        f"(advisories as of {snapshot['date']}, commit {snapshot['commit'][:12]})"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
