"""The terminal side of a run: a progress bar for long runs and a short summary. Both stay plain when piped."""
from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeRemainingColumn

from .pipeline import Result

SHOW_AFTER_SECONDS = 2.0  # short runs print no bar at all


class Progress:
    """Calls from the pipeline (`update(done, total, name)`); a bar appears once a run takes a while."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.console, self.enabled = console, enabled and console.is_terminal
        self.started = time.monotonic()
        self.bar: RichProgress | None = None
        self.task = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.stop()

    def update(self, done: int, total: int, name: str) -> None:
        if not self.enabled:
            return
        if self.bar is None and time.monotonic() - self.started >= SHOW_AFTER_SECONDS:
            self.bar = RichProgress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                                    TimeRemainingColumn(), TextColumn("{task.description}", markup=False),
                                    console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=total)
        if self.bar is not None:
            self.bar.update(self.task, completed=done, description=name[-40:])


SHOWN = 5  # findings (and contradicted draft figures) listed in the terminal; the rest are counted


def plural(n: int, word: str, words: str | None = None) -> str:
    """`1 conflict`, `2 conflicts`, `1 info` (a word given as its own plural stays)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _more(console: Console, listed: int, total: int, written: dict[str, Path]) -> None:
    if total > listed:
        where = written.get("html") or next(iter(written.values()), None)
        console.print(f"  and {total - listed} more" + (f" (see {where})" if where else ""), highlight=False,
                      markup=False)


def print_summary(console: Console, result: Result, written: dict[str, Path]) -> None:
    counts = {s: sum(1 for f in result.findings_list if f.severity == s) for s in ("conflict", "warning", "info")}
    console.print(f"checked {plural(len(result.store), 'document')}, {plural(result.store.claim_count, 'claim')}: "
                  f"[bold red]{plural(counts['conflict'], 'conflict')}[/], "
                  f"[yellow]{plural(counts['warning'], 'warning')}[/], {plural(counts['info'], 'info', 'info')}",
                  highlight=False)
    if result.draft is not None:
        counts_v = {k: sum(1 for v in result.verdicts if v.verdict == k) for k in ("contradicted", "supported", "unsupported")}
        console.print(f"draft {escape(result.draft)}: [bold red]{counts_v['contradicted']} contradicted[/], "
                      f"[green]{counts_v['supported']} supported[/], {counts_v['unsupported']} unsupported",
                      highlight=False)
        claims = {c.id: c for c in result.store.claims_of(result.draft)}
        contradicted = [v for v in result.verdicts if v.verdict == "contradicted"]
        for v in contradicted[:SHOWN]:
            state = f" [dim](reviewed: {escape(v.reviewed)})[/]" if v.reviewed else ""
            console.print(f"  [red]contradicted[/] {escape(claims[v.claim].text)}: {escape(v.message)}{state}",
                          highlight=False, soft_wrap=True)
        _more(console, SHOWN, len(contradicted), written)
    serious = [f for f in result.findings_list if f.severity != "info"]
    for f in serious[:SHOWN]:
        colour = "red" if f.severity == "conflict" else "yellow"
        console.print(f"  [{colour}]{f.severity:<8}[/] {escape(f.rule)} {escape(f.message)}", highlight=False,
                      soft_wrap=True)
    _more(console, SHOWN, len(serious), written)
    for e in result.errors:
        console.print(f"  [red]error[/] {escape(e['path'])}: {escape(e['message'])}", highlight=False)
    for fmt, path in written.items():
        console.print(f"{fmt}: {path}", highlight=False, markup=False)
