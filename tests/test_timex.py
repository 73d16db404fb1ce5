"""Dates and periods, resolved against the publication date, in zh, ja and en."""
import pytest
from hypothesis import given, settings, strategies as st

from checker.timex import find_times



def resolve(text, published):
    times = find_times(text, published)
    assert times, text
    return times[0].text, times[0].value


@pytest.mark.parametrize("text,published,span,value", [
    # zh
    ("去年10月", "2026-03-19", "去年10月", "2025-10"),
    ("去年 10 月", "2026-03-19", "去年 10 月", "2025-10"),
    ("今年6月份", "2024-10-19", "今年6月份", "2024-06"),
    ("今年九月", "2024-10-19", "今年九月", "2024-09"),
    ("去年12月", "2024-01-10", "去年12月", "2023-12"),       # year boundary
    ("上月", "2024-01-10", "上月", "2023-12"),                # year boundary
    ("下月", "2026-03-19", "下月", "2026-04"),
    ("上周", "2024-10-19", "上周", "2024-W41"),
    ("昨天", "2024-03-01", "昨天", "2024-02-29"),             # leap day
    ("前天", "2024-01-01", "前天", "2023-12-30"),
    ("周四", "2024-10-18", "周四", "2024-10-17"),
    ("星期四", "2024-10-18", "星期四", "2024-10-17"),
    ("上周四", "2024-03-02", "上周四", "2024-02-22"),         # across a month end
    ("本周五", "2024-10-19", "本周五", "2024-10-18"),
    ("去年秋天", "2024-10-19", "去年秋天", "2023"),
    ("2024年底", "2024-10-19", "2024年底", "2024"),
    ("今年上半年", "2024-10-19", "今年上半年", "2024"),
    ("10月17日", "2024-10-18", "10月17日", "2024-10-17"),
    ("12月5日", "2024-01-10", "12月5日", "2023-12-05"),      # a month ahead of January is last year's
    ("18 日", "2026-03-19", "18 日", "2026-03-18"),
    ("2024年10月17日", None, "2024年10月17日", "2024-10-17"),
    ("2019 年", None, "2019 年", "2019"),
    ("2025财年", None, "2025财年", "2025"),
    # ja
    ("先月", "2026-03-19", "先月", "2026-02"),
    ("先月", "2024-01-15", "先月", "2023-12"),                # January
    ("昨年10月", "2026-03-19", "昨年10月", "2025-10"),
    ("来月", "2026-03-19", "来月", "2026-04"),
    ("今月", "2024-10-19", "今月", "2024-10"),
    ("先週", "2024-10-19", "先週", "2024-W41"),
    ("昨日", "2024-10-19", "昨日", "2024-10-18"),
    ("木曜日", "2024-10-19", "木曜日", "2024-10-17"),
    ("今年度", "2024-10-19", "今年度", "2024"),
    ("18日の報道", "2026-03-19", "18日", "2026-03-18"),
    # en
    ("last year", "2024-10-19", "last year", "2023"),
    ("this year", "2024-10-19", "this year", "2024"),
    ("next month", "2024-12-19", "next month", "2025-01"),
    ("last October", "2024-10-19", "last October", "2023-10"),
    ("last October", "2024-11-19", "last October", "2024-10"),
    ("on Thursday", "2024-10-19", "Thursday", "2024-10-17"),
    ("last Thursday", "2024-10-19", "last Thursday", "2024-10-10"),
    ("earlier this year", "2024-10-19", "earlier this year", "2024"),
    ("Q3", "2024-10-19", "Q3", "2024"),
    ("Oct. 17, 2024", None, "Oct. 17, 2024", "2024-10-17"),
    ("17 October 2024", None, "17 October 2024", "2024-10-17"),
    ("in 2019", None, "2019", "2019"),
    ("FY2025", None, "FY2025", "2025"),
    ("2024-10-18 18:55:35", None, "2024-10-18 18:55:35", "2024-10-18"),
])
def test_resolves(text, published, span, value):
    assert resolve(text, published) == (span, value)


def test_refine_keeps_the_part_of_the_year():
    t = find_times("去年秋天", "2024-10-19")[0]
    assert (t.value, t.refine) == ("2023", "autumn")
    assert find_times("Q3", "2024-10-19")[0].refine == "Q3"


def test_without_a_publication_date_relative_words_stay_unresolved():
    assert [t.value for t in find_times("去年10月和先月, last month", None)] == [None, None, None]


def test_a_weekday_and_its_date_must_agree():
    ok = find_times("他周四(10月17日)表示", "2024-10-18")
    assert [t.note for t in ok] == ["", ""]
    bad = find_times("他周三(10月17日)表示", "2024-10-18")
    assert "Wednesday" in bad[0].note and "Thursday" in bad[0].note


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from([None, "2024-01-01", "2024-02-29", "2026-12-31"]))
def test_any_text_gives_valid_spans(text, published):
    for t in find_times(text, published):
        assert text[t.start:t.end] == t.text

