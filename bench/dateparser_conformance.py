"""dateparser.search_dates on the Recognizers-Text datetime cases, under the rule tests/conformance.py applies
to ours (same span, same date), so the two can be compared: `python bench/dateparser_conformance.py`.

A case passes when every expected expression is returned with its exact text and a date whose day, month,
year, hour or minute form equals one of the expected TIMEX values (a lenient reading: dateparser has no TIMEX).
"""
from __future__ import annotations

import datetime as dt
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.conformance import cases  # noqa: E402

FORMS = ("%Y-%m-%d", "%Y-%m", "%Y", "%Y-%m-%dT%H", "%Y-%m-%dT%H:%M")


def passes(case: dict, lang: str) -> bool:
    from dateparser.search import search_dates
    ref = (case.get("context") or {}).get("ReferenceDateTime")
    settings = {"RELATIVE_BASE": dt.datetime.fromisoformat(ref)} if ref else {}
    try:
        found = search_dates(case["input"], languages=[lang], settings=settings) or []
    except Exception:  # dateparser raises on some inputs; that is a miss, not a crash of the comparison
        found = []
    for exp in case["results"]:
        span, want = case["input"][exp["start"]:exp["end"] + 1], set(exp.get("timex") or [])
        if not any(text == span and ({d.strftime(f) for f in FORMS} | {"XXXX-" + d.strftime("%m-%d")}) & want
                   for text, d in found):
            return False
    return True


if __name__ == "__main__":
    warnings.filterwarnings("ignore")
    for name, lang in [("datetime-zh.jsonl", "zh"), ("datetime-en.jsonl", "en")]:
        cs = [c for c in cases(name) if c["results"]]
        ok = sum(passes(c, lang) for c in cs)
        print(f"dateparser.search_dates {name}: {ok}/{len(cs)} = {ok / len(cs):.1%}")
