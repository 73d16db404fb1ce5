"""Regular expressions built from the rules, compiled once per rule set rather than once per run.

The grammars are large alternations of the rules' words (currency names in four scripts, date words, units),
and Python's `re` spends most of a small run's start-up turning them into matcher code (`_optimize_charset`
over CJK character classes alone took 0.6 s of 1.7 for `check seeds/`). That code is a list of integers, a pure
function of the pattern, its flags and the engine's version, so it is kept in a file of the temporary folder
and handed back to the engine the next time, which checks it before use (`_sre` refuses malformed code).

Nothing here changes what a pattern matches: a pattern the file does not hold, a file from another Python or
one that is unreadable or not ours falls back to `re.compile`, and the file is rewritten only when a run
compiled something new.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tempfile
from array import array
from functools import lru_cache
from pathlib import Path

import _sre
from re import _compiler, _parser  # the two halves of re.compile, used as re.compile uses them

from .files import write_atomic

_ENGINE = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
_UID = os.getuid() if hasattr(os, "getuid") else 0
_FILE = Path(tempfile.gettempdir()) / f"checker-patterns-{_ENGINE}-{_UID}"

_known: dict[str, tuple] | None = None  # pattern key -> (flags, code bytes, groups, groupindex, indexgroup)
_used: dict[str, tuple] = {}
_new = False


@lru_cache(maxsize=512)  # as re.compile's own cache: a pattern built per document is compiled once per process
def compile(pattern: str, flags: int = 0) -> re.Pattern:
    """`re.compile(pattern, flags)`, from the remembered matcher code when this rule set was compiled before."""
    global _new
    key = hashlib.blake2b(f"{int(flags)}\0{pattern}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    parts = _load().get(key)
    if parts is not None:
        try:
            compiled = _sre.compile(pattern, parts[0], _words(parts[1]).tolist(), *parts[2:4], tuple(parts[4]))
        except (RuntimeError, TypeError, ValueError):  # code from a changed engine or a damaged file
            parts = None
    if parts is None:
        parsed = _parser.parse(pattern, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        code = _words(_compiler._code(parsed, flags))
        parts = (int(flags | parsed.state.flags), code.tobytes(), parsed.state.groups - 1, groupindex, indexgroup)
        compiled = _sre.compile(pattern, parts[0], code.tolist(), *parts[2:4], tuple(parts[4]))
        _new = True
    _used[key] = parts
    return compiled


def remember() -> None:
    """Keep the matcher code of the patterns this process compiled, when any was new (called once the rules'
    grammars are built). The file holds the patterns of the last rule set used, so it does not grow."""
    global _new, _known
    if not _new:
        return
    try:
        write_atomic(_FILE, marshal.dumps(_used))
    except (OSError, ValueError):
        return  # a read-only temporary folder: the patterns are compiled again next time
    _known, _new = dict(_used), False


def _words(code: list[int] | bytes) -> array:
    """Matcher code as an array of the engine's code words, which the file keeps as bytes (read at once)."""
    words = array({2: "H", 4: "I", 8: "Q"}[_sre.CODESIZE])
    if isinstance(code, bytes):
        words.frombytes(code)
    else:
        words.extend(code)
    return words


def _load() -> dict[str, tuple]:
    global _known
    if _known is None:
        _known = {}
        try:
            with open(_FILE, "rb") as f:
                if os.fstat(f.fileno()).st_uid == _UID:
                    loaded = marshal.load(f)  # marshal builds plain values only: it runs nothing
                    _known = loaded if isinstance(loaded, dict) else {}
        except (OSError, EOFError, ValueError, TypeError):
            pass
    return _known
