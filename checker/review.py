"""The review loop: an editor's decisions (reviews.yml) and what changed since an earlier result (--baseline).

reviews.yml, next to the inputs or given with --reviews:

    reviews:
      - id: CC002-1a2b3c4d5e        # a finding's or a draft verdict's id, as the report shows it
        status: accepted             # accepted (checked, the text stays) or dismissed (not a problem)
        by: Li Wei
        why: "WSJ counts the 2024 tranche; confirmed with the desk"

A reviewed finding or verdict is shown as such and no longer makes the exit code 1.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from .files import write_atomic
from .ingest import InputError

STATUSES = ("accepted", "dismissed")


def read_reviews(path: Path) -> dict[str, dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise InputError(f"{path}: cannot read the reviews file ({e}); fix: a YAML list under `reviews:`") from e
    entries = data.get("reviews") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"{path}: expected `reviews:` with a list of {{id, status, by, why}}")
    out = {}
    for i, e in enumerate(entries, 1):
        if not isinstance(e, dict) or "id" not in e or e.get("status") not in STATUSES:
            raise InputError(f"{path}: review {i} needs an `id` and a `status` of {' or '.join(STATUSES)}")
        out[str(e["id"])] = e
    return out


def record_review(path: Path, item_id: str, status: str, by: str = "", why: str = "") -> None:
    """Write one decision into the reviews file at `path` (made if missing), replacing an earlier one for the
    same id; written whole through a temporary file, so the CLI never reads half of it."""
    if status not in STATUSES:
        raise InputError(f"a review's status is {' or '.join(STATUSES)}, not {status!r}")
    reviews = read_reviews(path) if path.is_file() else {}
    reviews[item_id] = {"id": item_id, "status": status, **({"by": by} if by else {}), **({"why": why} if why else {})}
    write_atomic(path, yaml.safe_dump({"reviews": list(reviews.values())}, allow_unicode=True, sort_keys=False))


def apply_review(item, reviews: dict[str, dict]) -> None:
    """Mark a finding or verdict an editor has reviewed."""
    r = reviews.get(item.id)
    if r:
        item.reviewed = r["status"]
        item.review_note = " — ".join(str(x) for x in (r.get("by"), r.get("why")) if x)


def read_baseline(baseline: Path) -> dict[str, dict]:
    """The findings of an earlier result, by id."""
    try:
        old = json.loads(baseline.read_text(encoding="utf-8"))
        return {f["id"]: f for f in old.get("findings", [])}
    except (OSError, ValueError, AttributeError, KeyError, TypeError) as e:
        raise InputError(f"{baseline}: cannot read the baseline result ({e})") from e


def mark_change(finding, before: dict[str, dict]) -> None:
    finding.change = "unchanged" if finding.id in before else "new"


def gone_since(before: dict[str, dict], now: set[str]) -> list[dict]:
    """The findings of the earlier result no longer raised."""
    return [{"id": i, "rule": f.get("rule"), "message": f.get("message")} for i, f in sorted(before.items())
            if i not in now]
