import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_result():
    import checker
    return checker.check([SEEDS])


@pytest.fixture(scope="session")
def seeds_report(tmp_path_factory):
    """`check seeds/` run once through the real console command; returns the output folder."""
    out = tmp_path_factory.mktemp("seeds-report")
    proc = subprocess.run([sys.executable, "-m", "checker", str(SEEDS), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr
    return out


@pytest.fixture
def write(tmp_path):
    """Write a file (text with an encoding, or raw bytes) into a fresh folder."""
    def _write(name: str, content, encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return p
    return _write
