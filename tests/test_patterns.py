"""Patterns compiled from remembered matcher code match exactly what `re.compile` gives, and a damaged or
foreign file never changes a match: it is compiled again."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from checker import patterns

TEXTS = ["据报道，该公司去年营收约1380亿元，同比增长12%。", "売上高は6.5億ドル（約1000億円）だった。",
         "Revenue rose to $13.75 billion last October, up from about $12 billion.", "", "x" * 50]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """The module as a new process finds it, its file in `tmp_path`; `fresh()` starts another process."""
    monkeypatch.setattr(patterns, "_FILE", tmp_path / "patterns")

    def restart():
        patterns.compile.cache_clear()
        monkeypatch.setattr(patterns, "_known", None)
        monkeypatch.setattr(patterns, "_used", {})
        monkeypatch.setattr(patterns, "_new", False)
    restart()
    yield restart
    patterns.compile.cache_clear()


def matches(compiled: re.Pattern) -> list:
    return [(m.span(), m.groupdict(), m.groups()) for text in TEXTS for m in compiled.finditer(text)]


def test_remembered_code_matches_as_re_compile_does(fresh):
    sample = [(r"(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>亿|億|billion)", 0), (r"(?i:ABOUT)\s(?P<n>\d+)", 0),
              (r"^\w+$", re.M), (r"(?x) (?P<y>\d{4}) 年", 0), (r"[\u4e00-\u9fff]{2,}(?=元)", 0)]
    first = [patterns.compile(p, f) for p, f in sample]
    patterns.remember()
    assert patterns._FILE.is_file()
    fresh()
    patterns._load()
    assert set(patterns._known) and not patterns._new
    again = [patterns.compile(p, f) for p, f in sample]
    assert not patterns._new  # every one came from the file
    for (p, f), a, b in zip(sample, first, again):
        reference = re.compile(p, f)
        assert (b.pattern, b.flags, b.groupindex) == (reference.pattern, reference.flags, reference.groupindex)
        assert matches(a) == matches(b) == matches(reference)


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", b"\xfb" * 64])
def test_an_unreadable_file_is_compiled_again(fresh, damage):
    patterns._FILE.write_bytes(damage)
    compiled = patterns.compile(r"(?P<n>\d+)億", 0)
    assert patterns._new and matches(compiled) == matches(re.compile(r"(?P<n>\d+)億"))


def test_code_the_engine_refuses_is_compiled_again(fresh):
    pattern = r"(?P<n>\d+)\s?(?:亿|億)"
    patterns.compile(pattern)
    patterns.remember()
    fresh()
    entry = next(iter(patterns._load().values()))
    patterns._known = {key: (entry[0], b"\x07\x00\x00\x00" * 3, *entry[2:]) for key in patterns._known}
    compiled = patterns.compile(pattern)
    assert patterns._new and matches(compiled) == matches(re.compile(pattern))


def test_a_run_that_compiles_nothing_new_leaves_the_file_alone(fresh):
    patterns.compile(r"\d+元")
    patterns.remember()
    written = patterns._FILE.stat().st_mtime_ns
    fresh()
    patterns.compile(r"\d+元")
    patterns.remember()
    assert patterns._FILE.stat().st_mtime_ns == written


def test_a_run_from_remembered_code_finds_what_a_cold_run_finds(tmp_path):
    """The whole grammar of the default rules, compiled cold and then read back from the file by the next run."""
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    env = {**os.environ, "TMPDIR": str(tmp_path)}

    def run(out: str) -> dict:
        subprocess.run([sys.executable, "-m", "checker", str(seeds), "--out", str(tmp_path / out), "--format", "json",
                        "-q"], env=env, check=False, capture_output=True)
        result = json.loads((tmp_path / out / "seeds.json").read_text(encoding="utf-8"))
        return {key: result[key] for key in ("documents", "claims", "findings")}
    cold = run("cold")
    assert list(tmp_path.glob("checker-patterns-*"))
    assert run("warm") == cold


def test_the_rules_build_the_same_pattern_text_in_every_process(tmp_path):
    """Patterns built from sets of words in hash order differed from one process to the next, so the file never
    held the largest (every run compiled them again) and two runs held different texts for one grammar."""
    code = ("from checker import patterns; from checker.pipeline import compile_rules; "
            "from checker.rules import default_rules; compile_rules(default_rules()); print(sorted(patterns._used))")
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed, "TMPDIR": str(tmp_path)}).stdout
            for seed in ("1", "2")}
    assert len(keys) == 1 and len(keys.pop()) > 1000
