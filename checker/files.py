"""Writing a file whole: through a temporary file beside it and a rename, so a reader (another process, or the
user opening a report) never sees half of it."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable


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
