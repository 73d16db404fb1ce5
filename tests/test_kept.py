"""Data kept between runs in the temporary folder (`files.kept`: CLDR names, OpenCC forms, parsed rules files)
gives what building it gives, is rebuilt when its file is damaged or its inputs change, and never keeps a
broken rules file's error away from the user."""
import pytest

from checker import files
from checker.rules import RulesError, load_rules


@pytest.fixture
def temp(tmp_path, monkeypatch):
    monkeypatch.setattr(files.tempfile, "gettempdir", lambda: str(tmp_path))
    return tmp_path


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value
    return build, calls


def test_built_once_then_read_back(temp):
    build, calls = counting({"USD": ["US dollar", "美元"], "n": [1, 2.5]})
    first = files.kept("t", ["babel", 1], build)
    again = files.kept("t", ["babel", 1], build)
    assert first == again == {"USD": ["US dollar", "美元"], "n": [1, 2.5]} and len(calls) == 1
    assert len(list(temp.glob("checker-t-*.marshal"))) == 1


def test_other_inputs_build_again(temp):
    build, calls = counting(["a"])
    files.kept("t", ["babel", 1], build)
    files.kept("t", ["babel", 2], build)  # an upgraded package
    assert len(calls) == 2


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xfb" * 40])
def test_a_damaged_file_is_built_again(temp, damage):
    build, calls = counting(["a", "b"])
    files.kept("t", "k", build)
    next(temp.glob("checker-t-*")).write_bytes(damage)
    assert files.kept("t", "k", build) == ["a", "b"] and len(calls) == 2


def test_a_read_only_temporary_folder_still_gives_the_data(temp, monkeypatch):
    def refuse(*_):
        raise PermissionError("read-only")
    monkeypatch.setattr(files, "write_atomic", refuse)
    build, calls = counting([1])
    assert files.kept("t", "k", build) == [1] and files.kept("t", "k", build) == [1] and len(calls) == 2


def write_units(folder, text):
    folder.mkdir(exist_ok=True)
    (folder / "units.yml").write_text(text, encoding="utf-8")
    return folder


def test_an_edited_rules_file_is_read_as_edited(temp, tmp_path):
    """Same size, same second: the parsed file is kept by its text, not by its name or time."""
    rules = write_units(tmp_path / "r", "currencies:\n  NGN: {after: [naira]}\n")
    assert "naira" in load_rules(rules)["units"]["currencies"]["NGN"]["after"]
    write_units(rules, "currencies:\n  NGN: {after: [nairo]}\n")
    after = load_rules(rules)["units"]["currencies"]["NGN"]["after"]
    assert "nairo" in after and "naira" not in after


def test_a_broken_rules_file_fails_on_every_run(temp, tmp_path):
    rules = write_units(tmp_path / "r", "currencies:\n  NGN: {after: [naira]}\n  NGN: {after: [奈拉]}\n")
    for _ in range(2):
        with pytest.raises(RulesError, match=r"units.yml:3:3: broken YAML \(duplicate key 'NGN'"):
            load_rules(rules)
