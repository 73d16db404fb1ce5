"""One module per kind of check; `KINDS` maps the `kind:` a rules/checks/*.yml file names to its module.

Each module has a `run(check, ctx)` that yields findings and a `SCOPE`: what a context must hold for the check
to see all it compares — `parties` (the claims about one party set: every key of it), `document` (whole
articles) or `run` (the copies found in the run).
"""
from . import copy, corroboration, falling, headline_body, magnitude, mismatch, running_total, weekday

KINDS = {
    "mismatch": mismatch,
    "running_total": running_total,
    "falling": falling,
    "headline_body": headline_body,
    "copy": copy,
    "corroboration": corroboration,
    "weekday": weekday,
    "magnitude": magnitude,
}
