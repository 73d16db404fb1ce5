"""Quantities: numerals in every script, currencies, qualifiers as intervals, and what is not a quantity."""
import pytest
from hypothesis import example, given, settings, strategies as st

from checker.extract import extract_numbers, extract_quantities



def one(text, lang="zh", **kw):
    qs = extract_quantities(text, lang, **kw)
    assert len(qs) == 1, [(q.text, q.value) for q in qs]
    return qs[0]


@pytest.mark.parametrize("text,lang,span,value,unit", [
    ("购买 1380 亿美元云服务", "zh", "1380 亿美元", 1.38e11, "USD"),
    ("6.5億ドルを支払った", "ja", "6.5億ドル", 6.5e8, "USD"),
    ("売上高は１２０億円", "ja", "１２０億円", 1.2e10, "JPY"),
    ("投资一百三十亿美元", "zh", "一百三十亿美元", 1.3e10, "USD"),
    ("26億5000万ドルの手形", "ja", "26億5000万ドル", 2.65e9, "USD"),
    ("It raised $13.75 billion.", "en", "$13.75 billion", 1.375e10, "USD"),
    ("総額 2 兆円に達した", "ja", "2 兆円", 2e12, "JPY"),
    ("融资1.2万元", "zh", "1.2万元", 1.2e4, "CNY"),
    ("净利润４．５亿元", "zh", "４．５亿元", 4.5e8, "CNY"),
    ("两千三百万港元", "zh", "两千三百万港元", 2.3e7, "HKD"),
    ("罚款三千万欧元", "zh", "三千万欧元", 3e7, "EUR"),
    ("営業利益は500億ユーロ", "ja", "500億ユーロ", 5e10, "EUR"),
    ("a HK$10 billion loan", "en", "HK$10 billion", 1e10, "HKD"),
    ("a €3.5m grant", "en", "€3.5m", 3.5e6, "EUR"),
    ("US$1,200 per unit", "en", "US$1,200", 1200, "USD"),
    ("持有20个比特币", "zh", "20个比特币", 20, "BTC"),
    ("微软拟起诉亚马逊与OpenAI:500亿美元云合作", "zh", "500亿美元", 5e10, "USD"),
    ("这台电脑两美元又三美分", "zh", "两美元又三美分", 2.03, "USD"),
    # numerals in characters that go on after a scale word, skip a place with 零, or end on a bare digit
    ("奖金四万五千六百二十二元", "zh", "四万五千六百二十二元", 45622, "CNY"),
    ("罚款一百万零四元", "zh", "一百万零四元", 1000004, "CNY"),
    ("花了一千零五元", "zh", "一千零五元", 1005, "CNY"),
    ("月薪一万三元", "zh", "一万三元", 13000, "CNY"),
    ("售价两千四百五元", "zh", "两千四百五元", 2450, "CNY"),
    ("融资六点五亿美元", "zh", "六点五亿美元", 6.5e8, "USD"),
    ("赔款四万万元", "zh", "四万万元", 4e8, "CNY"),             # 万万 is 亿
    ("奖金一万零十二元", "zh", "一万零十二元", 10012, "CNY"),     # 零十: ten after a skipped place
    ("月給3万4000円", "ja", "3万4000円", 34000, "JPY"),          # Arabic digits go on after the scale word
    ("花了1千零20元", "zh", "1千零20元", 1020, "CNY"),
    ("a 1.3e6 yuan budget", "en", "1.3e6 yuan", 1.3e6, "CNY"),
    ("代金は九百九円", "ja", "九百九円", 909, "JPY"),               # Japanese: a last bare digit is units
    ("総額5、450億円", "ja", "5、450億円", 5.45e11, "JPY"),          # 、 groups digits in Japanese
    ("费用为1、450元", "zh", "450元", 450, "CNY"),                   # in Chinese it separates list items
    ("融资两千万点五元", "zh", "两千万点五元", 20000000.5, "CNY"),  # a decimal after a whole numeral in characters
    # number words, cents and pence, spoken amounts, rarer and historic currencies
    ("eight ministers received five million yen", "en", "five million yen", 5e6, "JPY"),
    ("it only cost thirteen dollars and forty-five cents", "en", "thirteen dollars and forty-five cents", 13.45, "USD"),
    ("egg prices averaged 64.2 cents a dozen", "en", "64.2 cents", 0.642, "USD"),
    ("a 12-cent-a-share dividend", "en", "12-cent", 0.12, "USD"),
    ("shares closed one penny lower", "en", "one penny", 0.01, "GBP"),
    ("far below the 210 pence level", "en", "210 pence", 2.1, "GBP"),
    ("about c $ 1.34 a share", "en", "c $ 1.34", 1.34, "CAD"),
    ("Sell Mex$ 10 million forward", "en", "Mex$ 10 million", 1e7, "MXN"),
    ("a loan of 35 lakh rupees", "en", "35 lakh rupees", 3.5e6, "INR"),
    ("valued at 6.65 billion pesetas", "en", "6.65 billion pesetas", 6.65e9, "ESP"),
    ("买菜花了三块五", "zh", "三块五", 3.5, "CNY"),
    ("50元6角3分", "zh", "50元6角3分", 50.63, "CNY"),
    ("この本は5人民元と3角です", "ja", "5人民元と3角", 5.3, "CNY"),
    ("そのシュークリームは\\100です", "ja", "\\100", 100, "JPY"),
])
def test_money_in_every_script(text, lang, span, value, unit):
    q = one(text, lang)
    assert (q.text, q.kind, q.unit) == (span, "money", unit)
    assert q.value == pytest.approx(value)
    assert text[q.start:q.end] == q.text


@pytest.mark.parametrize("text,lang,span,value", [
    ("利润同比-3.2%", "zh", "-3.2%", -3.2), ("亏损负10000元", "zh", "负10000元", -10000),
    ("成長率はマイナス3%", "ja", "マイナス3%", -3), ("a margin of minus 5 percent", "en", "minus 5 percent", -5),
    ("a -$5 adjustment", "en", "-$5", -5),
    # a hyphen or a dash is not a minus
    ("md . - - $ 75 million of bonds", "en", "$ 75 million", 7.5e7), ("GPT-4 costs $20", "en", "$20", 20),
])
def test_minus_signs_and_words_make_a_figure_negative(text, lang, span, value):
    qs = extract_quantities(text, lang)
    assert [(q.text, q.value) for q in qs] == [(span, value)]
    assert all(q.low <= q.value <= q.high for q in qs)


@pytest.mark.parametrize("text,lang,qualifier,low,high", [
    ("约 500 亿美元的合作", "zh", "approx", 4.51e10, 5.49e10),  # one digit: just under half its place
    ("约45万盒", "zh", "approx", 445100, 454900),  # two digits: the rounding of the last
    ("至少6.5亿美元", "zh", "at_least", 6.5e8, 9.75e8),
    ("超过100亿美元", "zh", "more_than", 1e10, 1.5e10),
    ("逾100亿美元", "zh", "more_than", 1e10, 1.5e10),
    ("近50亿美元", "zh", "approx", 4.5e9, 5e9),
    ("100亿元以上", "zh", "at_least", 1e10, 1.5e10),
    ("100亿美元左右", "zh", "approx", 9e9, 1.1e10),
    ("不到10亿美元", "zh", "less_than", 5e8, 1e9),
    ("最多10亿美元", "zh", "at_most", 5e8, 1e9),
    ("約500億ドル", "ja", "approx", 4.51e10, 5.49e10),
    ("100億円超", "ja", "more_than", 1e10, 1.5e10),
    ("少なくとも10億ドル", "ja", "at_least", 1e9, 1.5e9),
    ("about $5 billion", "en", "approx", 4.51e9, 5.49e9),
    ("more than $5 billion", "en", "more_than", 5e9, 7.5e9),
    ("at least $5 billion", "en", "at_least", 5e9, 7.5e9),
    ("up to $5 billion", "en", "at_most", 2.5e9, 5e9),
    ("100 多亿美元", "zh", "more_than", 1e10, 2e10),
    ("100亿多美元", "zh", "more_than", 1e10, 1.01e10),
    ("3000多人", "zh", "more_than", 3000, 4000),
    ("数十亿美元", "zh", "range", 2e9, 9e9),
    ("十几亿美元", "zh", "range", 1.1e9, 1.9e9),
    ("数十万美元", "zh", "range", 2e5, 9e5),
])
def test_qualifiers_become_intervals(text, lang, qualifier, low, high):
    q = one(text, lang)
    assert q.qualifier == qualifier
    assert (q.low, q.high) == (pytest.approx(low), pytest.approx(high))
    assert q.low <= q.value <= q.high


@pytest.mark.parametrize("text,lang,found", [
    ("one of the officials said", "en", []), ("five people were there", "en", []),
    ("the one-year plan", "en", []), ("a $5 fee", "en", [("$5", "USD")]),
    ("he paid 5 dollars and 3 people came", "en", [("5 dollars", "USD"), ("3 people", "")]),
    ("花了100块 3天后", "zh", [("100块", "CNY")]), ("5分钟后", "zh", []),
])
def test_words_and_spoken_amounts_stop_where_the_amount_does(text, lang, found):
    assert [(q.text, q.unit) for q in extract_quantities(text, lang)] == found


@pytest.mark.parametrize("text,found", [
    ("a billion dollars", [("a billion dollars", 1e9)]), ("half a million dollars", [("half a million dollars", 5e5)]),
    ("a quarter million dollars", [("a quarter million dollars", 2.5e5)]),
    ("one million and a half dollars", [("one million and a half dollars", 1.5e6)]),
    ("twenty-one trillion three hundred yen", [("twenty-one trillion three hundred yen", 21000000000300)]),
    ("4 thousand 3 hundred and 21 dollars", [("4 thousand 3 hundred and 21 dollars", 4321)]),
    ("two thirds of a million", [("two thirds of a million", 2e6 / 3)]), ("five and a quarter", [("five and a quarter", 5.25)]),
    ("two hundred point zero three", [("two hundred point zero three", 200.03)]), ("3 dozens", [("3 dozens", 36)]),
    ("a hundredth", [("a hundredth", 0.01)]), ("one of the two", [("one", 1), ("two", 2)]),
    # an ordinal is not a number or a fraction, and an ordinal alone is no fraction
    ("the twenty-first century", []), ("the third quarter", []),
])
def test_english_number_phrases(text, found):
    qs = extract_quantities(text, "en", include_plain=True)
    assert [(q.text, pytest.approx(q.value)) for q in qs] == found


@pytest.mark.parametrize("text,lang,found", [
    ("2 1/4 cups", "en", [("2 1/4", 2.25)]), ("-4/5", "en", [("-4/5", -0.8)]), ("12/3の夢", "ja", [("12/3", 4)]),
    ("meet on 5/17/2018", "en", []),                         # a date, not a fraction
    ("a population of 1 414 021 100.", "en", [("1 414 021 100", 1414021100)]),
    ("3又一千分之23", "zh", [("3又一千分之23", 302.3)]),      # mixed fractions, as percents like every fraction
    ("マイナス一と二分の一", "ja", [("マイナス一と二分の一", -150)]),
])
def test_slashed_spaced_and_mixed_numbers(text, lang, found):
    qs = extract_quantities(text, lang, include_plain=True)
    assert [(q.text, pytest.approx(q.value)) for q in qs] == found


@pytest.mark.parametrize("text,lang,found", [
    ("199个", "zh", [("199", 199)]), ("Twenty-six people", "en", [("Twenty-six", 26)]),    # the numeral's own span
    ("１９９１年１月１６日", "zh", [("１９９１", 1991), ("１", 1), ("１６", 16)]),              # dates are numbers too
    ("192.168.1.2", "en", [("192", 192), ("168", 168), ("1", 1), ("2", 2)]),             # dots join, not decimals
    ("三千 八百 九十六 万", "zh", [("三千 八百 九十六 万", 38960000)]),                     # typed with spaces
    ("五分之一", "zh", [("五分之一", 0.2)]), ("百分之五十五", "zh", [("五十五", 55)]),        # 百分之 is the sign
    ("负３分之负一百五十七", "zh", [("负３分之负一百五十七", 157 / 3)]),
    ("5、450", "ja", [("5、450", 5450)]), ("5、450", "zh", [("5", 5), ("450", 450)]),     # a Japanese group sign
    ("两百点两", "zh", [("两百", 200), ("两", 2)]),                                       # 两 is no decimal digit
    ("半百", "zh", [("半百", 50)]), ("十打", "zh", [("十打", 120)]), ("--9", "en", [("9", 9)]), (".08", "en", [(".08", 0.08)]),
])
def test_numbers_view_reads_every_numeral_on_its_own(text, lang, found):
    assert [(q.text, pytest.approx(q.value)) for q in extract_numbers(text, lang)] == found


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789０１２３.,、/ 一二三十百千万亿两半打点分之又负-e^", max_size=30),
       st.sampled_from(["zh", "ja", "en"]))
def test_numbers_view_gives_valid_spans(text, lang):
    for q in extract_numbers(text, lang):
        assert text[q.start:q.end] == q.text and q.low <= q.value <= q.high


def test_recogniser_mode_also_names_currencies_without_figures():
    qs = extract_quantities("50 dollar rmb", "en", include_plain=True)
    assert [(q.text, q.kind, q.unit, q.value) for q in qs] == [("50 dollar", "money", "USD", 50.0),
                                                               ("rmb", "currency", "CNY", None)]
    assert [q.text for q in extract_quantities("50 dollar rmb", "en")] == ["50 dollar"]


@pytest.mark.parametrize("text,lang,unit,value", [
    ("波兰央行持有300亿波兰兹罗提。", "zh", "PLN", 3e10),         # no entry in units.yml: CLDR's names
    ("Egypt raised 2 billion Egyptian pounds.", "en", "EGP", 2e9),
    ("ベトナムは5000億ベトナムドンを投じた。", "ja", "VND", 5e11),  # CLDR writes ベトナム ドン
    ("越南投入5000亿越南盾。", "zh", "VND", 5e11),
    ("政府拨款30亿新加坡元。", "zh", "SGD", 3e9),
    ("交易金额为50亿奈拉。", "zh", "NGN", 5e9),                   # the colloquial name units.yml adds to CLDR's
])
def test_a_currency_written_out_in_full_is_money_in_every_language(text, lang, unit, value):
    q = one(text, lang)
    assert (q.kind, q.unit, q.value) == ("money", unit, value)


@pytest.mark.parametrize("text, span, unit, low, high", [
    ("an order backlog of $3-4 billion.", "$3-4 billion", "USD", 3e9, 4e9),
    ("a further €1-1.5 billion on a second phase", "€1-1.5 billion", "EUR", 1e9, 1.5e9),
    ("It cost $3 to $4 million.", "$3 to $4 million", "USD", 3e6, 4e6),
    ("The $5-billion deal closed.", "$5-billion", "USD", 5e9, 5e9),  # was $5
    ("valued at between $3 and $4 billion", "$3 and $4 billion", "USD", 3e9, 4e9),  # was $3
    ("Between €2 and 2.5 billion was raised.", "€2 and 2.5 billion", "EUR", 2e9, 2.5e9),
])
def test_a_sign_and_a_scale_written_once_cover_the_whole_figure(text, span, unit, low, high):
    q = one(text, "en")
    assert (q.text, q.unit, q.low, q.high) == (span, unit, low, high)


def test_and_joins_two_amounts_only_after_between():
    spent = [q.text for q in extract_quantities("It spent $3 and $4 billion on two plants.", "en")]
    assert "$3 and $4 billion" not in spent
    assert [q.text for q in extract_quantities("between 2020 and 2024 it paid $3 billion", "en")] == ["$3 billion"]


def test_yen_sign_follows_the_document_language():
    assert one("価格は¥300", "ja").unit == "JPY"
    assert one("价格为¥300", "zh").unit == "CNY"


@pytest.mark.parametrize("text,lang,kind,value", [
    ("百分之三十的股份", "zh", "percent", 30),
    ("增长了3.5%", "zh", "percent", 3.5),
    ("回报控制在 100 倍以内", "zh", "ratio", 100),
    ("裁员1200人", "zh", "count", 1200),
    ("19名の社員", "ja", "count", 19),
    ("cut 120 jobs", "en", "count", 120),
    ("持股三分之一", "zh", "percent", 100 / 3),       # a fraction, as a percent it can be compared with
    ("五分之一的用户", "zh", "percent", 20),
    ("一万分之三的概率", "zh", "percent", 0.03),                # a denominator with a scale word
    ("株式の三分の一", "ja", "percent", 100 / 3),
])
def test_percent_ratio_and_counts(text, lang, kind, value):
    q = one(text, lang)
    assert q.kind == kind and q.value == pytest.approx(value)


@pytest.mark.parametrize("text,lang,unit,value", [
    ("每股十分之一美元", "zh", "USD", 0.1), ("三分之二美元的价格", "zh", "USD", 2 / 3), ("10分の1円", "ja", "JPY", 0.1),
])
def test_a_fraction_of_a_currency_is_money_not_a_percent(text, lang, unit, value):
    q = one(text, lang)
    assert (q.kind, q.unit) == ("money", unit) and q.value == pytest.approx(value)
    assert q.text == text[q.start:q.end] and q.text.endswith(("美元", "円"))


@pytest.mark.parametrize("text,lang", [
    ("下午五点开会", "zh"), ("五点三十分", "zh"),
    ("GPT-4 语言模型发布后", "zh"), ("ZAKER旗下Web3.0元宇宙平台", "zh"), ("型号RX-200的新机", "zh"),
    ("01潜在的竞争暗流涌动", "zh"), ("2019 年 OpenAI 还是进行了架构改革", "zh"), ("五年情谊已经降温", "zh"),
    ("华虹公司(688347.SH)", "zh"), ("电话 010-12345678", "zh"), ("12 我来说两句", "zh"),
    ("唯一一家提供大语言模型的云服务供应商", "zh"), ("两家公司都受益匪浅", "zh"), ("the 4G network and 3D chips", "en"),
])
def test_names_dates_codes_and_narrative_numbers_are_not_quantities(text, lang):
    assert extract_quantities(text, lang) == []


def test_skip_spans_and_zones_are_respected():
    text = "前言100亿美元。正文200亿美元。"
    assert [q.text for q in extract_quantities(text, "zh", zones=[(9, len(text))])] == ["200亿美元"]
    assert [q.text for q in extract_quantities(text, "zh", skip=[(2, 8)])] == ["200亿美元"]


NUMERIC = st.text(alphabet="0123456789０１２３４５６７８９.,，．一二两三十百千万亿億兆数几多余约近超逾 $¥€元円ドル美元亿美元%倍人名年月日-:/ABCabc",
                  max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(NUMERIC, st.text(max_size=60)), st.sampled_from(["zh", "ja", "en"]))
def test_any_text_gives_valid_spans_and_intervals(text, lang):
    for q in extract_quantities(text, lang, include_plain=True):
        assert text[q.start:q.end] == q.text
        assert q.kind == "currency" if q.value is None else q.low <= q.value <= q.high


@settings(max_examples=400, deadline=None)
@given(st.one_of(NUMERIC, st.text(alphabet="0123456789０１２３.,一二三十百千万亿億两五点分之元美人年月日天号本个股份約円ドル名%超多数 $¥",
                                   max_size=30)),
       st.sampled_from(["zh", "ja", "en"]))
@example("0  %", "zh")  # two spaces: the reader took them before a unit, the fast path only one
@example("5分之1%", "zh")  # a fifth: the fast path took 分 for minutes and read "1%" from the numerator
def test_reading_only_where_a_unit_can_follow_loses_no_claim(text, lang):
    """Claims are read only from starts a unit can follow (a fast path); that must never drop one. A bare number
    with a scale (3150万) is one the recogniser reads as a plain number."""
    def claims(qs, kinds):
        return [(q.start, q.end, q.value, q.unit) for q in qs if q.kind not in kinds]
    fast, plain = extract_quantities(text, lang), extract_quantities(text, lang, include_plain=True)
    assert claims(fast, ("scaled",)) == claims(plain, ("number", "currency"))
    numbers = {(q.start, q.end, q.value) for q in plain if q.kind == "number"}
    assert all((q.start, q.end, q.value) in numbers and q.unit == "" for q in fast if q.kind == "scaled")


WORDS = st.lists(st.sampled_from(["one", "forty-five", "hundred", "and", "dollars", "cents", "million", "yen",
                                  "c $", "5", "kuai", "mao", "-", "penny", "lakh", "twelve", "people"]), max_size=12)


@settings(max_examples=300, deadline=None)
@given(WORDS.map(" ".join))
def test_english_word_soup_gives_valid_spans(text):
    for q in extract_quantities(text, "en", include_plain=True):
        assert text[q.start:q.end] == q.text
        assert q.kind == "currency" if q.value is None else q.low <= q.value <= q.high

