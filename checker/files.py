"""Writing a file whole: through a temporary file beside it and a rename, so a reader (another process, or the
user opening a report) never sees half of it; and data derived from installed packages, kept between runs."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

T = TypeVar("T")


def write_atomic(path: Path, data: str | bytes | Iterable[str]) -> None:
    """Write `data` (bytes, a string, or the chunks of one) to `path` through a temp file and a rename."""
    os.replace(write_beside(path, data), path)


def write_beside(path: Path, data: str | bytes | Iterable[str]) -> Path:
    """`data` written whole to a temporary file beside `path` (on disk, named `.NAME.*.tmp`), to be renamed
    onto it: several files renamed together appear together."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    usual_mode(Path(tmp))
    try:
        with (os.fdopen(fd, "wb") if isinstance(data, bytes) else os.fdopen(fd, "w", encoding="utf-8", newline="")) as f:
            for chunk in [data] if isinstance(data, (str, bytes)) else data:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def usual_mode(path: Path) -> None:
    """Give a file or folder that mkstemp or mkdtemp made (0600, 0700) the mode an ordinary write or mkdir would
    have given it under the user's umask."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def installed(module: str) -> list:
    """What identifies the installed copy of `module` (its file and that file's mtime): a cache key that changes
    when the package is upgraded, found without importing it (importlib.metadata took 0.03 s of every start)."""
    origin = Path(importlib.util.find_spec(module).origin or "")
    return [str(origin), origin.stat().st_mtime_ns] if origin.is_file() else [str(origin)]


def kept(name: str, inputs: Any, build: Callable[[], T]) -> T:
    """`build()`, a pure function of `inputs` (JSON data), kept in a file of the temporary folder named by them:
    tables read out of an installed package's data (CLDR through Babel, OpenCC's phrase tables) cost each process
    tenths of a second to load for a few hundred entries that change only with the package. `build` must return
    what marshal keeps (dicts, lists, strings, numbers). A file that is unreadable, or a read-only temporary
    folder, means `build()` runs again."""
    key = hashlib.sha1(json.dumps(inputs, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"checker-{name}-{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = build()
    try:
        write_atomic(path, marshal.dumps(value))
    except (OSError, ValueError):
        pass
    return value
