"""checker: a claim-consistency checker for news (zh, ja, en).

    import checker
    result = checker.check(["seeds/"])
    result.claims      # pandas DataFrame, one row per claim
    result.findings    # pandas DataFrame, one row per finding
    result.documents   # pandas DataFrame, one row per document read

Stages, one module each: ingest -> extract (and timex) -> claims -> compare -> report.
"""
from .pipeline import Result, check

__all__ = ["check", "Result"]
