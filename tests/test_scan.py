"""The regex building blocks every grammar is made of: what they match must not depend on how they are built
for speed (a trie for a word list, a start search that stands on first characters)."""
import re

from hypothesis import given, settings, strategies as st

from checker.scan import longest_of as _alt
from checker.scan import Gated, any_case, first_chars, led_by, trie, word_alternation

WORDS = ["$", "US$", "HK$", "dollar", "dollars", "yen", "美元", "港元", "元", "percent", "per cent"]


def first_word(pattern: str, text: str) -> str | None:
    m = re.compile(pattern).match(text)
    return m.group() if m else None


def test_the_longest_word_that_stands_whole_wins():
    alt = word_alternation(WORDS)
    assert first_word(alt, "dollars and") == "dollars"
    assert first_word(alt, "dollar,") == "dollar"
    assert first_word(alt, "dollarsign") is None  # neither dollars nor dollar ends at a word's end here
    assert first_word(alt, "yenta") is None
    assert first_word(alt, "美元以上") == "美元"
    assert first_word(alt, "元") == "元"
    assert first_word(alt, "per cent of") == "per cent"


def test_a_two_letter_sign_may_be_spaced_and_in_any_case_a_one_letter_one_may_not():
    alt = word_alternation(WORDS)
    assert first_word(alt, "US$5") == "US$"
    assert first_word(alt, "hk $ 10") == "hk $"
    assert first_word(word_alternation(["A$", "$"]), "a $5") is None  # an article, then a dollar
    assert re.compile(rf"(?<=a ){word_alternation(['A$', '$'])}").search("a $5").group() == "$"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc$元 ", min_size=1, max_size=4), min_size=1, max_size=6),
       st.text(alphabet="abc$元 x", max_size=8))
def test_a_trie_matches_what_a_longest_first_list_matches(words, text):
    listed = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    assert first_word(trie(words), text) == first_word(listed, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abAB元 ", min_size=1, max_size=4), min_size=1, max_size=6),
       st.text(alphabet="abAB元 x", max_size=8))
def test_words_in_any_case_match_what_the_case_blind_trie_matches(words, text):
    assert first_word(any_case(words), text) == first_word(f"(?i:{trie({w.lower() for w in words})})", text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="12a b,年5x", max_size=30))
def test_a_search_led_by_first_characters_finds_where_the_pattern_matches(text):
    pattern = r"(?<![0-9])[0-9]+(?=年)|\bab\b"
    led = led_by("0-9a", pattern)
    found, pos = [], 0
    while (m := led.search(text, pos)) is not None:
        found.append(m.start())
        pos = m.start() + 1
    assert found == [i for i in range(len(text)) if re.compile(pattern).match(text, i)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abAB元额 ", min_size=1, max_size=4), min_size=1, max_size=6), st.data(),
       st.integers(0, 30), st.integers(0, 30), st.booleans())
def test_a_gated_pattern_finds_what_finditer_finds(words, data, pos, endpos, folded):
    """The metric, organisation and cue words are searched only where one can begin: the same matches, in the
    same places, as the plain pattern's finditer and search from any position to any end."""
    pieces = [*words, *(w.swapcase() for w in words), " ", "x", ","]
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=12)))
    flags = re.I if folded else 0
    plain, gated = re.compile(_alt(words, folded), flags), Gated(_alt(words, folded), first_chars(words), flags)
    assert [m.span() for m in gated.finditer(text, pos, endpos)] == [m.span() for m in plain.finditer(text, pos, endpos)]
    found, expected = gated.search(text, pos), plain.search(text, pos)
    assert (found and found.span()) == (expected and expected.span())
