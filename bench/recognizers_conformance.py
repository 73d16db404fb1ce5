"""The peer itself (Recognizers-Text's Python package) on the number and currency cases, under the rule
tests/conformance.py applies to ours (same span, same value, same currency), so the rates printed by
`python -m tests.conformance` have a measured peer beside them: `python bench/recognizers_conformance.py`.

The `.skipped-python` files hold the cases upstream marks as failing in Python; they are run too, to show it.
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.conformance import FILES, HUNDREDTHS, UNIT_NAMES, _close, cases  # noqa: E402

CULTURES = {"zh": "zh-cn", "ja": "ja-jp", "en": "en-us"}


def peer_results(area: str, text: str, lang: str) -> list[dict]:
    from recognizers_number import recognize_number
    from recognizers_number_with_unit import recognize_currency
    recognise = recognize_number if area == "number" else recognize_currency
    try:
        found = recognise(text, CULTURES[lang])
    except Exception:  # the package raises on some inputs; that is a miss, not a crash of the comparison
        return []
    return [{"start": r.start, "end": r.end, "value": (r.resolution or {}).get("value"),
             "unit": (r.resolution or {}).get("unit"), "iso": (r.resolution or {}).get("isoCurrency")}
            for r in found]


def passes(case: dict, area: str, lang: str) -> bool:
    found = peer_results(area, case["input"], lang)
    for exp in case["results"]:
        def same(r: dict) -> bool:
            if (r["start"], r["end"]) != (exp["start"], exp["end"]):
                return False
            if case.get("ignore_resolution") or exp.get("value") is None:
                return True
            if r["value"] is None:
                return False
            want, got = float(exp["value"]), float(r["value"])
            if area == "currency":
                want, got = want / HUNDREDTHS.get(exp.get("unit"), 1.0), got / HUNDREDTHS.get(r["unit"], 1.0)
                code = exp.get("isoCurrency") or UNIT_NAMES.get(exp.get("unit"))
                if code and (r["iso"] or UNIT_NAMES.get(r["unit"])) != code:
                    return False
            return _close(got, want)
        if not any(same(r) for r in found):
            return False
    return True


if __name__ == "__main__":
    warnings.filterwarnings("ignore")
    for name in FILES:
        area, lang = name.split("-")[0], name.split("-")[1].split(".")[0]
        if area not in ("number", "currency"):
            continue
        cs = [c for c in cases(name) if c["results"]]
        if not cs:
            continue
        ok = sum(passes(c, area, lang) for c in cs)
        print(f"Recognizers-Text (Python) {name:36s} {ok:4d}/{len(cs):<4d} {ok / len(cs):6.1%}")
