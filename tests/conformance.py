"""Run the Recognizers-Text cases in ../shared/conformance/recognizers/ against our extractor and resolver.

A case passes only when every expected result is found with the same span and the same value (and currency,
for money; the same resolved value, for dates). Number cases run `extract_numbers` (every numeral, its own
span), currency cases `extract_quantities` in recogniser mode, datetime cases `find_times` with every kind. Used by tests/test_conformance.py and runnable alone:
    python -m tests.conformance
"""
from __future__ import annotations

import json
from pathlib import Path

from checker.extract import extract_numbers, extract_quantities
from checker.timex import ALL_KINDS, find_times

FOLDER = Path(__file__).resolve().parent.parent.parent / "shared" / "conformance" / "recognizers"
LANG = {"Chinese": "zh", "Japanese": "ja", "English": "en"}


def cases(name: str) -> list[dict]:
    path = FOLDER / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


# Upstream keeps cents and pence as units of their own ("50 cents" is 50 Cent); we give the amount in the
# currency (USD 0.50), so their figures are divided by 100 before comparing.
HUNDREDTHS = {"Cent": 100.0, "Pence": 100.0, "Penny": 100.0}
# Upstream names a currency with no ISO code by its unit name; ours is always a code.
UNIT_NAMES = {"Dollar": "USD", "Cent": "USD", "Pence": "GBP", "Penny": "GBP", "Franc": "FRF", "Peseta": "ESP",
              "Rupee": "INR", "Finnish markka": "FIM"}


def currency_case(case: dict, lang: str) -> bool:
    # recogniser mode: upstream also expects currencies named with no figure ("dollar", "rmb")
    found = extract_quantities(case["input"], lang, include_plain=True)
    for exp in case["results"]:
        start, end = exp["start"], exp["end"] + 1
        want = None if exp.get("value") is None else float(exp["value"]) / HUNDREDTHS.get(exp.get("unit"), 1.0)
        code = exp.get("isoCurrency") or UNIT_NAMES.get(exp.get("unit"))
        ok = any(q.start == start and q.end == end and q.kind in ("money", "currency")
                 and (q.value is None if want is None else q.value is not None and _close(q.value, want))
                 and (code is None or q.unit == code) for q in found)
        if not ok:
            return False
    return True


def number_case(case: dict, lang: str) -> bool:
    found = extract_numbers(case["input"], lang)
    for exp in case["results"]:
        start, end = exp["start"], exp["end"] + 1
        ok = any(q.start == start and q.end == end and (case.get("ignore_resolution") or exp.get("value") is None
                 or _close(q.value, float(exp["value"]))) for q in found)
        if not ok:
            return False
    return True


def datetime_case(case: dict, lang: str) -> bool:
    ref = (case.get("context") or {}).get("ReferenceDateTime")
    found = find_times(case["input"], ref, kinds=ALL_KINDS)
    for exp in case["results"]:
        start, end = exp["start"], exp["end"] + 1
        want = set(exp.get("timex") or [])
        ok = any(t.start == start and t.end == end and (t.timex in want or (t.value and _matches(t.value, want)))
                 for t in found)
        if not ok:
            return False
    return True


def _matches(value: str, timexes: set[str]) -> bool:
    """Our resolved ISO value against upstream TIMEX: `2016-11` matches `2016-11` and `XXXX-11` (any year)."""
    return any(tx == value or (tx.startswith("XXXX-") and value[4:] == tx[4:]) for tx in timexes)


CHECKERS = {"currency": currency_case, "number": number_case, "datetime": datetime_case}


def pass_rate(name: str) -> tuple[int, int]:
    area, lang_code = name.split("-")[0], name.split("-")[1].split(".")[0]
    lang = {"zh": "zh", "ja": "ja", "en": "en"}[lang_code]
    run = CHECKERS[area]
    cs = [c for c in cases(name) if c["results"]]
    return sum(1 for c in cs if run(c, lang)), len(cs)


FILES = sorted(p.name for p in FOLDER.glob("*.jsonl")) if FOLDER.is_dir() else []

if __name__ == "__main__":
    for name in FILES:
        ok, n = pass_rate(name)
        if n:
            print(f"{name:40s} {ok:4d}/{n:<4d} {ok / n:6.1%}")
