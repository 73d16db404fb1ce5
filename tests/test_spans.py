"""Long articles: what each figure asks of its article is looked up, never scanned, and gives what a scan gives."""
from hypothesis import given, settings, strategies as st

from checker.ingest import LONGEST_SENTENCE, SHORTEST_REPEAT, lines_held, read_document, sentence_spans
from checker.pipeline import check
from checker.spans import Spans, within

span = st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=300, deadline=None)
@given(st.lists(span, max_size=12), st.lists(span, max_size=12), span)
def test_spans_overlap_as_a_test_of_every_span_says(spans, taken_later, probe):
    index, every = Spans(spans), list(spans)
    for s, e in taken_later:  # taken only where nothing taken before overlaps, as a list of them would grow
        if not any(a < e and s < b for a, b in every):
            index.add(s, e)
            every.append((s, e))
    s, e = probe
    assert index.overlaps(s, e) == any(a < e and s < b for a, b in every)


class Item:
    def __init__(self, start, end):
        self.start, self.end = start, end


@settings(max_examples=200, deadline=None)
@given(st.lists(span, max_size=12), span)
def test_the_items_within_a_span_are_those_a_scan_finds_in_order(spans, probe):
    items = [Item(s, e) for s, e in sorted(spans)]
    found = within(items, [x.start for x in items], probe)
    assert found == [x for x in items if probe[0] <= x.start and x.end <= probe[1]]


line = st.text("abc", min_size=SHORTEST_REPEAT, max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(line, max_size=8, unique=True), st.lists(st.integers(0, 7), max_size=4))
def test_lines_held_are_found_by_their_openings_as_by_testing_each_pair(texts, joins):
    # texts that hold others: some of them joined, as a flattened copy would be
    texts = texts + ["".join(texts[i % len(texts)] for i in joins)] if texts and joins else texts
    texts = list(dict.fromkeys(t for t in texts if len(t) >= SHORTEST_REPEAT))
    pairwise, by_openings = lines_held(texts), lines_held(texts, pairwise_up_to=0)
    for n in texts:
        assert sorted(by_openings(n)) == sorted(pairwise(n))


def test_a_long_article_reads_its_repeats_and_flattened_copies_as_a_short_one_does(tmp_path):
    """Past a hundred lines the lines a line holds are looked up by their openings (the pairwise test grew with
    the square of the lines): a repeated line and a flattened copy of two lines are still read once."""
    body = [f"Report {i}: Acme Corp said its revenue rose {i} percent in quarter {i % 4 + 1}." for i in range(150)]
    text = "\n".join(["Acme revenue report", body[0] + body[1], *body, body[7]]) + "\n"
    p = tmp_path / "long.txt"
    p.write_text(text, encoding="utf-8")
    doc = read_document(p, "long.txt")
    repeats = [doc.text[z.start:z.end].strip() for z in doc.zones if z.kind == "repeat"]
    assert repeats == [body[0] + body[1], body[7]]


mark = st.tuples(span, st.sampled_from(["fig", "date", "org"]), st.sampled_from(["", "a", "b"])).map(
    lambda m: (m[0][0], m[0][1], m[1], m[2]))


@settings(max_examples=200, deadline=None)
@given(st.lists(mark, max_size=10))
def test_each_piece_of_an_article_page_carries_the_marks_that_cover_it(marks):
    from checker.view import _segments
    text = "x" * 90
    pieces, pos = _segments(text, marks), 0
    assert "".join(p for p, _, _ in pieces) == text
    for piece, classes, tip in pieces:
        a, b = pos, pos + len(piece)
        on = [(cls, t) for s, e, cls, t in marks if s <= a and b <= e]  # in the marks' own order
        assert classes == " ".join(sorted({c for c, _ in on}))
        assert tip == " · ".join(t for _, t in on if t)
        pos = b


@settings(max_examples=300, deadline=None)
@given(st.text(",，、:; ab-—x", max_size=40), st.integers(0, 40), st.integers(0, 5))
def test_a_figures_clause_runs_from_the_break_before_it_to_the_break_after_it(text, pos, width):
    from types import SimpleNamespace
    from checker.claims import _CLAUSE_BREAK, _Context, lexicon_for
    from checker.rules import default_rules
    pos = min(pos, len(text))
    end = min(pos + width, len(text))
    ctx = _Context(SimpleNamespace(text=text), [(0, len(text))], [], [], lexicon_for(default_rules()), None)
    breaks = list(_CLAUSE_BREAK.finditer(text))
    start = max([m.end() for m in breaks if m.end() <= pos], default=0)
    stop = min([m.start() for m in breaks if m.start() >= end], default=len(text))
    assert ctx.clause((0, len(text)), pos, end) == (start, stop)
    assert ctx.clause((0, len(text)), pos, end) == (start, stop)  # asked again, from the sentence's found breaks


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "|", ",", "。", "ab" * 200]), max_size=60).map("".join))
def test_an_over_long_sentence_is_cut_at_its_last_strongest_break_before_the_limit(text):
    pieces = sentence_spans(text, [(0, len(text))])
    assert all(0 < b - a <= LONGEST_SENTENCE for a, b in pieces)
    assert [a for a, _ in pieces] == sorted(a for a, _ in pieces)
    assert "".join(text[a:b] for a, b in pieces) == text  # nothing lost, nothing read twice
    for a, b in pieces[:-1]:
        if text[b - 1] == "。":
            continue  # a sentence's own end
        window = text[a + LONGEST_SENTENCE // 2:a + LONGEST_SENTENCE]
        if "|" in window:  # a cell separator first, else a clause break, else the limit
            assert b == a + LONGEST_SENTENCE // 2 + window.rindex("|") + 1
        elif "," in window:
            assert b == a + LONGEST_SENTENCE // 2 + window.rindex(",") + 1
        else:
            assert b == a + LONGEST_SENTENCE


def test_a_table_flattened_into_one_line_is_framed_cell_by_cell(tmp_path):
    """3,000 figures on one line: each claim carries a piece of the line around it, not all 140 KB of it."""
    cells = [f"Company{i % 50} revenue {100 + i % 700} million dollars in {2000 + i % 20}" for i in range(3000)]
    (tmp_path / "table.txt").write_text("Quarterly table\n\n" + " | ".join(cells) + ".\n", encoding="utf-8")
    result = check([tmp_path])
    claims = result.claims_list
    assert len([c for c in claims if c.kind == "money"]) == 3000
    assert all(len(c.sentence) <= LONGEST_SENTENCE and c.text in c.sentence for c in claims)
