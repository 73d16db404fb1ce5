"""`python -m checker` is the same as the `check` command."""
from .cli import entry

entry()
