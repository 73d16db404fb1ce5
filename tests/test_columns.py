"""The compact columns a run keeps per input file: `Lookup` must find what a dict would."""
from hypothesis import given, settings, strategies as st

from checker import columns
from checker.columns import Lookup, Strings

names = st.lists(st.text(st.characters(blacklist_categories=["Cs"]), max_size=6), max_size=40)


@settings(max_examples=300, deadline=None)
@given(names, st.text(max_size=6))
def test_a_lookup_finds_each_name_as_a_dict_keeps_it(values, other):
    strings = Strings()
    for v in values:
        strings.append(v)
    lookup, by_dict = Lookup(strings), {v: n for n, v in enumerate(values)}  # a dict keeps the last
    assert [lookup.find(v) for v in values] == [by_dict[v] for v in values]
    assert lookup.find(other) == by_dict.get(other)


def test_names_with_one_hash_are_told_apart(monkeypatch):
    # a hash names a few strings at most; with every string on one hash, the lookup still finds each one
    monkeypatch.setattr(columns, "_hash", lambda s: 7)
    strings = Strings()
    for v in ["b.txt", "a.txt", "b.txt", "c.txt"]:
        strings.append(v)
    lookup = Lookup(strings)
    assert [lookup.find(v) for v in ["a.txt", "b.txt", "c.txt", "d.txt"]] == [1, 2, 3, None]
