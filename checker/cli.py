"""`check`: the command line over `checker.check()`. It parses options, shows progress and a summary, writes
the reports and sets the exit code: 0 no conflict, 1 conflicts found, 2 usage or input error, 3 the run failed."""
from __future__ import annotations

import errno
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.markup import escape

from .pipeline import compile_rules
from .report import WRITERS, write_reports
from .rules import REPORT_LANGUAGES, Rules, RulesError, load_rules

EXAMPLES = """
\b
Examples:
  check seeds/                         # writes reports/seeds.html, .json, .csv
  check articles/ --out /tmp/review    # reports elsewhere
  check a.txt b.html --sources meta.csv --format json
  check seeds/ --rules my-desk-rules/  # your own checks, entities, metrics over the built-in ones
  check draft.md --against sources/ --format html,md   # the draft's figures judged against the sources
  check seeds/ --baseline reports/seeds.json           # what is new or gone since the last run
"""


HINT = "Try 'check --help' for help."


def _fail(err: Console, message: str, code: int = 2, hint: str = HINT) -> NoReturn:
    """An error in click's own style (`Error: ...`, then what to do), so every error of `check` reads alike."""
    err.print(f"[bold red]Error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    if hint:
        err.print(hint, highlight=False, markup=False)
    sys.exit(code)


def _rules_or_fail(err: Console, rules_dirs) -> Rules:
    """The built-in rules with the user's folders over them, every grammar built; a broken rule ends the run
    before any work, with its file and line."""
    try:
        rules = load_rules(*rules_dirs)
        compile_rules(rules)
    except RulesError as e:
        _fail(err, f"in the rules: {e}", hint="Fix the file named above, or run without --rules to use the built-in rules.")
    return rules


def _exit_on_signal(signum: int, frame) -> NoReturn:
    raise SystemExit(128 + signum)


def _unwritable(out: Path) -> str | None:
    """Why the reports could not be written to `out`, or None: asked before a run, not after it."""
    folder = out
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} is not writable"
    return None


def _report_name(paths: tuple[str, ...]) -> str:
    if len(paths) == 1:
        p = Path(paths[0])
        return (p.name if p.is_dir() else p.stem) or "check"
    return "check"


@click.command(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=False, type=click.Path())
@click.option("--out", "out_dir", default="reports", show_default=True, type=click.Path(file_okay=False),
              help="Folder the reports are written to, e.g. --out /tmp/review.")
@click.option("--sources", type=click.Path(dir_okay=False),
              help="CSV with columns file,outlet,published for articles whose text names neither, e.g. "
                   "--sources meta.csv. A sources.csv inside an input folder is used without this option.")
@click.option("--format", "formats", default="html,json,csv", show_default=True,
              help="Comma-separated outputs to write, e.g. --format json or --format html,csv.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="A folder of your own rules (checks/*.yml, entities.yml, metrics.yml...) merged over the "
                   "built-in ones; repeatable, e.g. --rules desk-rules/.")
@click.option("--against", "against", multiple=True, type=click.Path(),
              help="Draft mode: PATHS is your draft, these are the sources its figures are checked against; "
                   "repeatable, e.g. check draft.md --against sources/.")
@click.option("--reviews", type=click.Path(dir_okay=False),
              help="YAML of reviewed finding ids (accepted/dismissed, by, why), e.g. --reviews desk/reviews.yml. "
                   "A reviews.yml next to the inputs is used without this option.")
@click.option("--baseline", type=click.Path(dir_okay=False),
              help="An earlier result JSON: each finding is marked new or unchanged, and gone ones are listed, "
                   "e.g. --baseline reports/seeds.json.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that read the files (default: all cores), e.g. --jobs 1. Output is the same.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where files are read: local processes, or a Dask cluster, e.g. --engine dask.")
@click.option("--scheduler", default=None,
              help="With --engine dask: the scheduler to use, e.g. --scheduler tcp://10.0.0.5:8786 "
                   "(default: a local cluster of --jobs workers).")
@click.option("--name", default=None, help="Base name of the report files (default: the input's name).")
@click.option("--lang", "lang", type=click.Choice(list(REPORT_LANGUAGES)), default="en", show_default=True,
              help="The language of the HTML report's words, fact names and next steps, e.g. --lang zh.")
@click.option("--fail-on", "fail_on", type=click.Choice(["conflict", "warning"]), default="conflict",
              show_default=True, help="The lowest severity that makes the exit code 1, e.g. --fail-on warning.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors; the exit code still tells.")
@click.option("--list-rules", is_flag=True, help="List the checks (id, severity, name, description) and exit.")
def main(paths, out_dir, sources, formats, rules_dirs, against, reviews, baseline, jobs, engine, scheduler, name,
         lang, fail_on, quiet, list_rules):
    """Check news articles (txt, md, html; zh, ja, en) for figures the sources disagree on.

    PATHS are files or folders (searched recursively). Exit code: 0 no conflict, 1 conflicts found (or
    warnings, with --fail-on warning), 2 usage or input error, 3 the run failed (its traceback is printed).
    """
    err = Console(stderr=True, soft_wrap=True)  # one line per message, also when piped
    for stop in (signal.SIGTERM, signal.SIGHUP):  # stopped by kill or a closed terminal: exit as on Ctrl-C,
        signal.signal(stop, _exit_on_signal)       # so the run's temporary folder is removed on the way out
    rules = _rules_or_fail(err, rules_dirs)
    if list_rules:
        for cid in sorted(rules.checks):
            c = rules.checks[cid]
            state = "" if c.get("enabled", True) is not False else " (off)"
            click.echo(f"{cid}  {c['severity']:<8} {c.get('name', '')}{state}\n      "
                       f"{' '.join(str(c.get('description', '')).split())}")
        return
    if not paths:
        raise click.UsageError("give at least one file or folder to check, e.g. `check seeds/`")
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in WRITERS]
    if unknown or not wanted:
        raise click.UsageError(f"unknown --format {','.join(unknown) or formats!r}; choose from {', '.join(WRITERS)}")
    draft = None
    if against:
        if len(paths) != 1 or not Path(paths[0]).is_file():
            raise click.UsageError("with --against, give exactly one draft file, e.g. check draft.md --against sources/")
        draft, paths = paths[0], tuple(against)
    missing = [p for p in paths if not Path(p).exists()]
    if missing and len(missing) == len(paths):
        _fail(err, f"no such file or folder: {', '.join(missing)}")
    why = _unwritable(Path(out_dir))
    if why:
        _fail(err, f"cannot write the reports to {out_dir}: {why}; fix: choose another folder with --out")

    from .pipeline import check
    from .summary import Progress, print_summary

    from .distributed import ClusterError
    from .ingest import InputError
    try:
        with Progress(err, enabled=not quiet) as progress:
            result = check(paths, draft=draft, sources=sources, rules=rules, reviews=reviews, baseline=baseline,
                           jobs=jobs or os.cpu_count() or 1, engine=engine, scheduler=scheduler,
                           progress=progress.update)
        try:
            written = write_reports(result, Path(out_dir), name or _report_name((draft,) if draft else paths), wanted,
                                    lang=lang)
        except OSError as e:  # the disk filled, or the folder went, while writing
            _fail(err, f"cannot write the reports to {out_dir}: {e}")  # SystemExit: no Exception below
    except (InputError, ClusterError) as e:
        _fail(err, str(e))
    except Exception as e:  # a bug, or a cluster that lost its workers: never an exit code that reads as a result
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):  # the machine's, not a bug
            _fail(err, f"no room for the run's temporary files ({e.strerror})",
                  hint=f"Free space in {tempfile.gettempdir()}, or set TMPDIR to a folder with room.")
        err.print_exception(extra_lines=0)
        _fail(err, f"the run failed ({type(e).__name__}: {e})", code=3)
    if not quiet:
        print_summary(Console(soft_wrap=True), result, written)
    for e in result.errors:
        if quiet:
            err.print(f"{e['path']}: {e['message']}", highlight=False, markup=False)
    if not len(result.store):
        sys.exit(2)
    sys.exit(1 if result.failures(fail_on) else 0)


@click.command(name="serve", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("sources", nargs=-1, type=click.Path(exists=True))
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="The port to listen on, e.g. --port 8800.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; any other than this machine's asks for the token printed at start.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="A folder of your own rules merged over the built-in ones, as for `check`; the desk's "
                   "corrections of who is who are written to its entities.yml.")
@click.option("--lang", type=click.Choice(list(REPORT_LANGUAGES)), default="en", show_default=True,
              help="The language of the desk's words, e.g. --lang zh.")
def serve(sources, port, host, rules_dirs, lang):
    """Serve the editor's desk: the SOURCES' report, a draft checked against them, and review decisions written
    to the reviews.yml beside them (the file `check` reads), e.g. check serve seeds/."""
    import secrets
    import shutil

    from .serve import Desk, create_app
    rules = _rules_or_fail(Console(stderr=True, soft_wrap=True), rules_dirs)
    import uvicorn
    work = Path(tempfile.mkdtemp(prefix="checker-desk-"))
    token = None if host in ("127.0.0.1", "localhost", "::1") else secrets.token_urlsafe(18)
    desk = Desk([Path(s) for s in sources], work, rules, token, lang, [Path(d) for d in rules_dirs])
    click.echo(f"checker desk: http://{host}:{port}/" + (f"?token={token}" if token else "") + "  (Ctrl-C stops it)")
    try:
        uvicorn.run(create_app(desk), host=host, port=port, log_level="warning")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def entry() -> None:
    """The `check` command: `check serve ...` serves the desk; anything else checks (`check ./serve` checks a
    folder of that name)."""
    if sys.argv[1:2] == ["serve"]:
        serve(sys.argv[2:], prog_name="check serve")
    else:
        main()
