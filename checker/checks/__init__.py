"""One module per kind of check; `KINDS` maps the `kind:` a rules/checks/*.yml file names to its function."""
from . import copy, corroboration, falling, headline_body, mismatch, running_total, weekday

KINDS = {
    "mismatch": mismatch.run,
    "running_total": running_total.run,
    "falling": falling.run,
    "headline_body": headline_body.run,
    "copy": copy.run,
    "corroboration": corroboration.run,
    "weekday": weekday.run,
}
