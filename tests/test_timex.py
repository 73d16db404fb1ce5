"""Dates and periods, resolved against the publication date, in zh, ja and en."""
import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from checker.timex import ALL_KINDS, find_times
from checker.rules import default_rules



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
    ("宏岳昨（8）日宣布", "2025-12-09", "昨（8）日", "2025-12-08"),  # Taiwan's press: yesterday, the 8th
    ("今(1)日公布", "2026-01-01", "今(1)日", "2026-01-01"),
    ("昨（8）日宣布", "2025-12-10", "昨（8）日", "2025-12-08"),  # a day late in print: the date written wins
    ("去年底", "2026-03-10", "去年底", "2025-12"),
    ("on 23/Sep/2020", "2026-03-10", "23/Sep/2020", "2020-09-23"),  # was read as a bare "Sep"
    ("in the past quarter", "2026-04-22", "past quarter", "2026"),
    ("昨年末の時点で", "2026-03-10", "昨年末", "2025-12"),
    ("周四", "2024-10-18", "周四", "2024-10-17"),
    ("星期四", "2024-10-18", "星期四", "2024-10-17"),
    ("上周四", "2024-03-02", "上周四", "2024-02-22"),         # across a month end
    ("本周五", "2024-10-19", "本周五", "2024-10-18"),
    ("去年秋天", "2024-10-19", "去年秋天", "2023"),
    ("2024年底", "2024-10-19", "2024年底", "2024-12"),  # a year-end state is counted in December
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


def timex(text, published="2016-11-07"):
    return [(t.text, t.kind, t.timex) for t in find_times(text, published, kinds=ALL_KINDS)]


@pytest.mark.parametrize("text,published,expected", [
    # what is written, in TIMEX: an unstated year stays X
    ("10月17日", "2024-10-18", ("10月17日", "date", "XXXX-10-17")),
    ("29日你开心吗", "2018-01-22", ("29日", "date", "XXXX-XX-29")),
    ("on July 1st", "2018-04-07", ("July 1st", "date", "XXXX-07-01")),
    ("週三", "2018-09-18", ("週三", "date", "XXXX-WXX-3")),
    ("上月", "2024-01-10", ("上月", "daterange", "2023-12")),               # relative words settle the year
    ("去年10月", "2026-03-19", ("去年10月", "daterange", "2025-10")),
    # eras and two-digit years
    ("令和6年度の予算", "2024-05-01", ("令和6年", "daterange", "2024")),
    ("康熙三年五月", "2017-03-22", ("康熙三年五月", "daterange", "1664-05")),
    ("08年奥运会", "2017-03-22", ("08年", "daterange", "2008")),
    # clock times, parts of a day, durations, recurrences
    ("下午5:00开会", None, ("下午5:00", "time", "T17:00")),
    ("从下午五点一刻到六点", None, ("从下午五点一刻到六点", "timerange", "(T17:15,T18,PT45M)")),
    ("明天下午5:00", "2016-11-07", ("明天下午5:00", "datetime", "2016-11-08T17:00")),
    ("三年半过去了", None, ("三年半", "duration", "P3.5Y")),
    ("每周一都发生", None, ("每周一", "set", "XXXX-WXX-1")),
    ("I'll be out 5 to 6pm", None, ("5 to 6pm", "timerange", "(T17,T18,PT1H)")),
    ("a few minutes", None, ("a few minutes", "duration", "PT3M")),
    ("Tuesdays at 9am", None, ("Tuesdays at 9am", "set", "XXXX-WXX-2T09")),
    # ranges, the second end inheriting what it leaves out
    ("时间从2016年一月十日到十二日", "2017-03-22", ("从2016年一月十日到十二日", "daterange", "(2016-01-10,2016-01-12,P2D)")),
    ("from 10/25 to 01/25", "2018-10-24", ("from 10/25 to 01/25", "daterange", "(XXXX-10-25,XXXX-01-25,P92D)")),
    ("June-August 1992", None, ("June-August 1992", "daterange", "(1992-06-01,1992-08-01,P2M)")),
    ("过去十年中国有了巨大的变化", "2018-07-24", ("过去十年", "daterange", "(2008-07-24,2018-07-24,P10Y)")),
    ("2019 q3", None, ("2019 q3", "daterange", "(2019-07-01,2019-10-01,P3M)")),
    ("I'll go back end of tomorrow", "2016-11-07", ("end of tomorrow", "datetime", "2016-11-08T23:59:59")),
])
def test_timex_as_written(text, published, expected):
    assert expected in timex(text, published)


def test_only_calendar_expressions_date_figures_by_default():
    text = "2024年10月17日下午5点，三年半来每天都"
    assert [(t.kind, t.value) for t in find_times(text, "2024-10-18")] == [("date", "2024-10-17")]
    assert {t.kind for t in find_times(text, "2024-10-18", kinds=ALL_KINDS)} == {"datetime", "duration", "set"}


def test_offsets_resolve_to_the_second_only_when_the_publication_time_is_known():
    assert timex("他2小时后就回来了", "2018-08-30T10:00:00") == [("2小时后", "datetime", "2018-08-30T12:00:00")]
    assert [t.value for t in find_times("他2小时后就回来了", "2018-08-30", kinds=ALL_KINDS)] == ["2018-08-30"]
    assert timex("I will leave in two months", "2018-07-05") == [("in two months", "date", "2018-09-05")]


@pytest.mark.parametrize("text", ["It closed three days ago.", "It closed THREE DAYS AGO.",
                                  "It closed 3 Days Ago, “sources” said.", "据悉，交易于三天前完成"])
def test_an_offset_dates_whatever_its_case_and_script(text):
    # a text is read for offsets only where a unit of time stands before an offset word; an ASCII text is first
    # tested for the word as a substring of the text lowercased
    assert [t.value for t in find_times(text, "2024-10-18")] == ["2024-10-15"]


def test_a_day_that_is_not_in_the_calendar_is_read_but_dates_nothing():
    t = find_times("2019年2月29日", None)[0]
    assert (t.timex, t.value) == ("2019-02-29", None)
    assert "not a calendar day" in t.note


@pytest.mark.parametrize("text", ["Mortgages were at 6.45 percent", "Good night Cortana", "a BUN/Cr of 30/4.85",
                                  "$DEC farming", "ages 2 and 3"])
def test_numbers_and_words_that_only_look_like_times(text):
    assert timex(text) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from([None, "2024-01-01", "2024-02-29", "2026-12-31T23:59:00"]))
def test_any_text_gives_valid_spans(text, published):
    for t in find_times(text, published, kinds=ALL_KINDS):
        assert text[t.start:t.end] == t.text


CLOCK_SOUP = st.lists(st.sampled_from(["5", "12:30", "pm", "a", "to", "-", "and", "between", "下午", "点", "半", "年", "每",
                                       "周一", "tomorrow", "Tuesday", "10/25", "2019", "in", "days", "ago", "前", "后",
                                       "康熙", "三", "月", "日", " "]), max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(CLOCK_SOUP, st.sampled_from([None, "2024-02-29", "0001-01-01", "9999-12-31T23:59:59"]))
def test_clock_and_range_soup_never_raises(text, published):
    for t in find_times(text, published, kinds=ALL_KINDS):
        assert text[t.start:t.end] == t.text


DATED = ["过去3年", "过去三个月", "最近两周", "未来5年", "昨晚", "今早", "现在", "刚才", "三天前", "两年后", "3日前",
         "the last 3 years", "past two weeks", "next 5 days", "last night", "this morning", "now", "tonight",
         "3 days ago", "three weeks later", "in two months", "THE PAST 2 YEARS", "Last Night", "一年半后"]
FILLER = [" ", "，", "。", "据悉", "公司", "said", "The", "a", "3", "二", "年", "days", "in", "the", "ago", "后", "半", "融资后"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(DATED + FILLER), max_size=8).map("".join))
def test_reading_dated_times_only_where_one_can_start_loses_none(text):
    """With no unit of time before an offset word in a text, its dated times are looked for from fewer starts (a
    fast path); that must read what the search from every start reads."""
    from checker import clock
    from checker.scan import scan_read
    g, published = clock.grammar_for(default_rules()), dt.date(2024, 10, 18)

    def spans(times):
        return [(t.start, t.end, t.value) for t in times]
    full = scan_read(g.calendar_starts, g.calendar_pattern, text, None,
                     lambda m: clock.within_calendar(clock._resolve, m, g, published, None))
    assert spans(clock.find_clock(text, published, dated_only=True)) == spans(full)


@pytest.mark.parametrize("text, expected", [
    ("The deal closes in two months, the company said in 2016.",
     [("in two months", "date", "2018-09-05"), ("2016", "daterange", "2016")]),
    ("Prices fell in 2016 and will rise within 3 days.",
     [("2016", "daterange", "2016"), ("within 3 days", "date", "2018-07-08")]),
    ("Sales rose over the last 3 years, and last year.",
     [("last 3 years", "daterange", "2015-07-05"), ("last year", "daterange", "2017")]),
    ("过去十年中国有了巨大的变化", [("过去十年", "daterange", "2008-07-05")]),
])
def test_in_or_last_dates_a_figure_only_with_an_amount_of_time_after_it(text, expected):
    """The dated reading (claims' default) starts at "in" and "last" only where an amount of time follows, as
    their branch reads; "in 2016" is a year."""
    assert [(t.text, t.kind, t.value) for t in find_times(text, "2018-07-05")] == expected


@pytest.mark.parametrize("text, timex", [("今年夏天", "2026-SU"), ("去年秋天", "2025-FA"), ("去年冬季", "2025-WI")])
def test_a_season_of_a_year_keeps_the_year_and_names_the_season(text, timex):
    (t,) = find_times(text, "2026-04-22", default_rules())
    assert (t.value, t.timex) == (timex[:4], timex)


@pytest.mark.parametrize("text, span, value, timex", [
    ("sales of ¥101 billion in the April-September half", "April-September", "2025-04", "(XXXX-04-01,XXXX-09-01,P5M)"),
    ("sold October-March", "October-March", "2025-10", "(XXXX-10-01,XXXX-03-01,P5M)"),  # across the new year
    ("June-August 1992", "June-August 1992", "1992-06", "(1992-06-01,1992-08-01,P2M)"),  # value was 2025-06
])
def test_a_range_of_months_is_one_period_dated_where_it_starts(text, span, value, timex):
    (t,) = find_times(text, "2026-01-27")
    assert (t.text, t.value, t.timex) == (span, value, timex)
