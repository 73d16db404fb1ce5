"""Who is who: the organisations (and the people and governments around them) each article names, and one id
per real-world organisation across articles and languages.

Two entry points:
- `find_entities(text, spans, lang, rules)`: the mentions of one document and its entities, each with the names
  it is written as. Boundaries come from real tokenisers where names have no spaces: MeCab (fugashi with
  unidic-lite) for Japanese, jieba for Chinese; capitalised words for English. A name no lexicon knows is found
  by its type word (宏岳汽车, 青嵐化学工業, Hongyue Motors), by a translation written beside it in parentheses,
  or as a katakana name the dictionary does not hold. Its short form (鼎丰, Dingfeng) and the words that stand for
  it (该公司, 同社, the company) are mentions of it too.
- `link_entities(index, rules)`: across documents, which ids name one organisation, each link with its reason:
  the lexicon, a name written with its translation, the same characters once simplified, traditional and
  Japanese forms are folded (OpenCC), the same reading once romanised (pinyin and Wade-Giles for Chinese, the
  analyser's readings for Japanese kanji, Hepburn for kana), with the type words translated (能源 = エナジー =
  Energy). The user's `same` / `different` lists in the rules win over every other evidence.

All words live in `rules/entities.yml`; this module holds the mechanisms.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Iterable, Iterator

from rapidfuzz import fuzz, process

from . import patterns
from .files import installed, kept, write_atomic
from .rules import Rules, words_in
from .scan import Gated, longest_of, word_finder
from .spans import Spans

KINDS = ("org", "person", "gov")
LANGS = ("zh", "ja", "en")


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    entity: str  # the id of the entity in its document: a lexicon id, or the slug of its fullest name
    known: bool  # named in rules/entities.yml
    kind: str = "org"  # org, person or gov; only organisations are parties to a figure
    weak: bool = False  # found by its script alone (a katakana word the dictionary lacks): a city as often


@dataclass(slots=True)
class Entity:
    """One entity of one document, as the linker sees it: its names as written, fullest first, and the
    readings of its Japanese names (katakana, from the analyser)."""
    id: str
    kind: str
    names: list[str]
    lang: str
    known: bool
    mentions: int
    readings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the lexicon

_PARTS = re.compile(r"[\s\-]+")
_DIGIT = re.compile(r"[0-9０-９]")
_NOT_IN_FOLD = re.compile(r"[\s·・.\-'’,&]")


@lru_cache(maxsize=65536)  # names and words repeat across a run's documents: each is folded once
def fold(s: str) -> str:
    """A name as names are compared: NFKC, case-folded, without spaces, dots, hyphens and middle dots."""
    return _NOT_IN_FOLD.sub("", unicodedata.normalize("NFKC", s)).casefold()


def slug(name: str) -> str:
    return re.sub(r"[^\w]+", "_", unicodedata.normalize("NFKC", name).strip().lower()).strip("_")


@dataclass
class EntityLexicon:
    entity_re: Gated
    entity_of: dict[str, str]  # folded name -> lexicon id
    parent: dict[str, str]
    outlets: Gated
    not_names: set[str]  # folded
    not_name_starts: set[str]
    places: set[str]  # folded
    type_of: dict[str, int]  # folded type word -> its kind (the line in org_types)
    type_end: re.Pattern  # a type word or legal form at the end of a name
    type_word: Gated  # a type word or legal form anywhere
    type_or_kana: re.Pattern  # a type word, or a katakana run a name may be
    legal: set[str]  # folded
    government: dict[str, list[str]]
    roles: dict[str, list[str]]
    role_re: Gated
    group_nouns: set[str]
    product_measures: dict[str, frozenset[str]]  # per language, 款, 台: a name right after one is a product's
    anaphora_re: Gated
    same: list[list[str]]
    different: list[list[str]]
    _rejected: dict[str, bool] = field(default_factory=dict, repr=False)

    @classmethod
    def from_rules(cls, rules: Rules) -> "EntityLexicon":
        ent = rules["entities"]
        entity_of, parent, names = {}, {}, []
        for eid, e in (ent.get("entities") or {}).items():
            for n in e.get("names", []):
                entity_of[fold(str(n))] = str(eid)
                names.append(str(n))
            if e.get("parent"):
                parent[str(eid)] = str(e["parent"])
        type_of: dict[str, int] = {}
        for i, line in enumerate(ent.get("org_types") or []):
            for w in words_in(line):
                type_of.setdefault(fold(w), i)
        legal = {fold(w) for w in words_in(ent.get("legal_forms"))}
        ends = [w for line in ent.get("org_types") or [] for w in words_in(line)] + words_in(ent.get("legal_forms"))
        return cls(
            entity_re=word_finder(names),
            entity_of=entity_of,
            parent=parent,
            outlets=word_finder(ent.get("outlets") or [], folded=False),
            not_names={fold(str(w)) for w in ent.get("not_names") or []},
            not_name_starts={str(w).casefold() for w in ent.get("not_name_starts") or []},
            places=_places(ent.get("places")) | _currency_words(rules),
            type_of=type_of,
            type_end=patterns.compile(rf"(?:{longest_of(ends, folded=True)})$", re.I),
            type_word=word_finder(ends),
            type_or_kana=patterns.compile(rf"{longest_of(ends, folded=True)}|[\u30a0-\u30ff]{{3}}", re.I),
            legal=legal,
            government={lang: words_in(ent.get("government"), lang) for lang in LANGS},
            roles={lang: words_in(ent.get("roles"), lang) for lang in LANGS},
            role_re=word_finder(words_in(ent.get("roles"))),
            group_nouns={fold(w) for w in words_in(ent.get("group_nouns"))},
            product_measures={lang: frozenset(words_in(ent.get("product_measures"), lang)) for lang in LANGS},
            anaphora_re=word_finder(words_in(ent.get("anaphora"))),
            same=[list(map(str, p)) for p in ent.get("same") or []],
            different=[list(map(str, p)) for p in ent.get("different") or []],
        )

    def known_id(self, name: str) -> str | None:
        """The lexicon id of a name, exact or (from four characters) fuzzy."""
        folded = fold(name)
        if folded in self.entity_of:
            return self.entity_of[folded]
        if len(folded) >= 4:
            hit = process.extractOne(folded, self.entity_of.keys(), scorer=fuzz.ratio, score_cutoff=88)
            if hit:
                return self.entity_of[hit[0]]
        return None

    def rejected(self, name: str) -> bool:
        """Not an organisation's name: a place, a language, a currency, a role, a round, a group noun, a type
        word alone, a figure. Read once a name (a run meets the same capitalised words in every article)."""
        hit = self._rejected.get(name)
        if hit is None:
            f = fold(name)
            parts = [fold(p) for p in _PARTS.split(name) if p]
            role = self.role_re.search(name)
            hit = (len(f) < 2 or f in self.not_names or f in self.places or f in self.group_nouns or f in self.legal
                   or f in self.type_of or _DIGIT.search(name) is not None
                   or (len(parts) > 1 and all(p in self.not_names or p in self.places for p in parts))
                   or name.split(" ")[0].casefold() in self.not_name_starts
                   or (role is not None and role.group() == name))
            if len(self._rejected) < 100_000:
                self._rejected[name] = hit
        return hit

    def family(self, eid: str) -> str:
        while eid in self.parent:
            eid = self.parent[eid]
        return eid

    def is_place(self, name: str) -> bool:
        return fold(name) in self.places

    def split_type(self, name: str) -> tuple[str, frozenset[int]]:
        """A name's core and the kinds its type words say (青嵐化学工業 -> 青嵐, {chemical, industries}); legal
        forms are dropped. The core keeps at least one character."""
        core, kinds = name.strip(), set()
        while True:
            m = self.type_end.search(core)
            if not m or m.start() == 0:
                break
            word = fold(m.group())
            if word in self.type_of:
                kinds.add(self.type_of[word])
            core = core[:m.start()].rstrip(" ,.-・·")
        return core, frozenset(kinds)


def _places(extra: dict | None) -> set[str]:
    """Country, region and language names in zh, ja and en from CLDR (Babel), and the rules' own."""
    def read() -> list[str]:
        from babel import Locale
        return [n for code in ("en", "zh", "zh_Hant", "ja") for loc in [Locale.parse(code)]
                for n in [*loc.territories.values(), *loc.languages.values()]]
    out = {fold(w) for w in words_in(extra)}
    out.update(fold(n) for n in kept("cldr-places", installed("babel"), read))
    out.update({"japan's", "china's", "taiwan's"})  # possessives of the commonest, as the tokeniser leaves them
    return out


def _currency_words(rules: Rules) -> set[str]:
    """Currency names (ドル, ユーロ, yen): a unit, never a party."""
    out = set()
    for c in (rules["units"].get("currencies") or {}).values():
        out.update(fold(str(w)) for w in [*(c.get("before") or []), *(c.get("after") or []), c.get("name") or ""])
    return {w for w in out if len(w) >= 2}


@lru_cache(maxsize=8)
def entity_lexicon(rules: Rules) -> EntityLexicon:
    return EntityLexicon.from_rules(rules)


# ---------------------------------------------------------------- scripts

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA_RUN = re.compile(r"[\u30a0-\u30ffｦ-ﾟ・ー]+")
_KANA_NAME = re.compile(r"[\u30a0-\u30ff・ー]{3,}")
_LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9&'’]*(?:(?: |-| & )[A-Z][A-Za-z0-9&'’]*)*")
# a name and its other form in parentheses: 蓝岭视频（Blueridge Video）, サンダーベイＡＩ（中国名：雷湾智能）
_PAIRED = re.compile(r"[（(]\s?(?:[^\s：:（）()]{1,6}[：:]\s?)?([^（）()\n，,。、：:]{2,40}?)\s?[)）]")
_SENTENCE_END = re.compile(r"[。！？!?\n]+")
_DOTTED_PERSON = re.compile(r"[\u4e00-\u9fff]{1,6}[·・•][\u4e00-\u9fff]{1,6}")
_FUNCTION_CHARS = set("的了在和与與对對向这這那家个個是为為将將会會从從被把给給该該其此等及并並或也都就还還已而但于於")


def script_of(name: str) -> str:
    if _HAN.search(name):
        return "han"
    if _KANA_RUN.search(name):
        return "kana"
    return "latin"


# ---------------------------------------------------------------- tokenisers, loaded when first needed

@lru_cache(maxsize=1)
def _mecab():
    import fugashi  # MeCab with unidic-lite: ships its dictionary in the wheel
    return fugashi.Tagger()


@lru_cache(maxsize=1)
def _jieba():
    """jieba's segmenter over the words of its dictionary common enough to be words rather than names (RARE),
    their counts, and the parts of speech of the words that end a name. The full dictionary's 350,000 words
    took 0.45 s to load at every start and 130 MB; its 67,000 common ones load in 0.06 s, and a rarer word
    counts as a possible name all the same."""
    import logging
    import sys

    # jieba finds its files through pkg_resources where that imports (0.25 s, a third of a small run's start),
    # else beside its own module file, the same files: it is told pkg_resources is absent while it imports
    hidden = "pkg_resources" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if hidden:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    common, tags = _jieba_tables(Path(jieba.__file__).parent / "dict.txt")
    segmenter = jieba.Tokenizer(str(common))
    segmenter.initialize()
    return segmenter, segmenter.FREQ, tags


# the parts of speech (jieba's tags) that never stand inside a name: verbs, adverbs, prepositions, conjunctions,
# particles, numerals, times, places of direction, pronouns
_NOT_NAME_TAGS = ("v", "d", "p", "c", "u", "m", "t", "f", "r")
_KEPT_TAGS = (*_NOT_NAME_TAGS, "a")  # adjectives too: a person's name ends before one (奥尔特曼|不同)


def _jieba_tables(dictionary: Path) -> tuple[Path, dict[str, str]]:
    """The common words of jieba's dictionary as a dictionary file of their own, and the tags of its words
    that end a name: read from jieba's dictionary once and kept beside jieba's own cache (written whole, then
    renamed, so two processes starting at once never read half a file)."""
    import marshal
    import tempfile
    st = dictionary.stat()
    stem = Path(tempfile.gettempdir()) / f"checker-jieba-{''.join(_KEPT_TAGS)}-{RARE}-{st.st_size}-{int(st.st_mtime)}"
    common, tag_file = stem.with_suffix(".dict.txt"), stem.with_suffix(".tags.marshal")
    try:
        if common.is_file():
            return common, marshal.loads(tag_file.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    tags, lines = {}, []
    with open(dictionary, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            if parts[2].startswith(_KEPT_TAGS):
                tags[parts[0]] = parts[2]
            if int(parts[1]) >= RARE:
                lines.append(line)
    for path, data in ((tag_file, marshal.dumps(tags)), (common, "".join(lines).encode("utf-8"))):
        try:
            write_atomic(path, data)
        except OSError:
            pass  # a read-only temporary folder: the tables are read again next time
    return common, tags


@lru_cache(maxsize=1)
def _simplify():
    import opencc
    return opencc.OpenCC("t2s").convert, opencc.OpenCC("jp2t").convert


def fold_variants(s: str) -> str:
    """Simplified, traditional and Japanese forms of a Han text as one (澜/瀾, 导/導, 薬/药): Japanese shinjitai
    to traditional, then traditional to simplified, by OpenCC's tables."""
    if not _HAN.search(s):
        return s
    to_simplified, japanese_to_traditional = _simplify()
    return to_simplified(japanese_to_traditional(s))


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    tag: str  # the analyser's part of speech: jieba's flag, or MeCab's pos1/pos2
    common: bool  # a word of the analyser's dictionary (not a name it guessed)
    reading: str = ""  # katakana, Japanese only


def tokens_ja(text: str, start: int, end: int) -> list[Token]:
    out, pos = [], start
    for w in _mecab()(text[start:end]):
        surface = w.surface
        at = text.find(surface, pos, end)
        if at < 0:
            continue
        pos = at + len(surface)
        f = w.feature
        out.append(Token(at, pos, surface, f"{f.pos1}/{f.pos2}/{f.pos3}", not w.is_unk and f.pos2 != "固有名詞",
                         f.kana or ""))
    return out


# a word jieba's dictionary counts fewer times than this is as likely a name as a word (华星 18, 赤城 22,
# against 电动 234, 连锁 466, 芯片 1031)
RARE = 30


def tokens_zh(text: str, start: int, end: int) -> list[Token]:
    seg, freq, tags = _jieba()
    piece = text[start:end]
    simplified = _simplify()[0](piece)
    if len(simplified) != len(piece):  # offsets must stay: segment the text as written
        simplified = piece
    out, pos = [], start
    for word in seg.cut(simplified):
        n = len(word)
        count = freq.get(word, 0)
        # a word the dictionary lacks is one the segmenter guessed: a name as likely as not
        out.append(Token(pos, pos + n, text[pos:pos + n], tags.get(word, "n" if count else "x"), count >= RARE))
        pos += n
    return out


# ---------------------------------------------------------------- mentions in one document

def find_entities(text: str, spans: list[tuple[int, int]], lang: str, rules: Rules
                  ) -> tuple[list[Mention], list[Entity]]:
    """The mentions of organisations, people and governments in the readable `spans` of a document, in text
    order, and its entities. The anaphora (该公司, 同社, the company) are mentions of the organisation named
    last before them (of the document's first, where none is)."""
    lex = entity_lexicon(rules)
    finder = _Finder(text, spans, lang, lex)
    return finder.run()


class _Finder:
    def __init__(self, text: str, spans: list[tuple[int, int]], lang: str, lex: EntityLexicon):
        self.text, self.spans, self.lang, self.lex = text, spans, lang, lex
        self.taken = Spans((m.start(), m.end()) for a, b in spans for m in lex.outlets.finditer(text, a, b))
        self.found: dict[int, Mention] = {}
        self.names: dict[str, list[str]] = {}  # entity id -> names as written
        self.kinds: dict[str, str] = {}
        self.known: set[str] = set()
        self.readings: dict[str, list[str]] = {}

    def run(self) -> tuple[list[Mention], list[Entity]]:
        text, lex = self.text, self.lex
        for a, b in self.spans:
            for m in lex.entity_re.finditer(text, a, b):
                eid = lex.known_id(m.group())
                if eid:
                    self.add(m.start(), m.end(), eid, "org", known=True)
        self._dotted()
        self._roles()
        self._paired()
        if self.lang == "ja":
            self._japanese()
        elif self.lang == "zh":
            self._chinese()
        self._latin()
        self._again()
        self._merge_forms()
        mentions = self._anaphora()
        counts: dict[str, int] = {}
        for m in mentions:
            counts[m.entity] = counts.get(m.entity, 0) + 1
        entities = [Entity(eid, self.kinds[eid], sorted(set(names), key=lambda n: (-len(n), n)), self.lang,
                           eid in self.known, counts.get(eid, 0), self.readings.get(eid, []))
                    for eid, names in sorted(self.names.items())]
        return mentions, entities

    # ---- bookkeeping

    def add(self, s: int, e: int, eid: str, kind: str, known: bool = False, reading: str = "",
            weak: bool = False) -> bool:
        if e - s < 2 or self.taken.overlaps(s, e):
            return False
        self.taken.add(s, e)
        self.found[s] = Mention(s, e, eid, known, kind, weak)
        self.names.setdefault(eid, []).append(self.text[s:e])
        self.kinds.setdefault(eid, kind)
        if known:
            self.known.add(eid)
        if reading:
            self.readings.setdefault(eid, []).append(reading)
        return True

    def ident(self, name: str) -> tuple[str, bool]:
        """The id for a name: the lexicon's, an entity of this document written the same, or its slug."""
        eid = self.lex.known_id(name)
        if eid:
            return eid, True
        for other, names in self.names.items():
            if name in names:
                return other, other in self.known
        return slug(name), False

    def rejected(self, name: str) -> bool:
        """Not an organisation's name: a place, a language, a role, a round, a group noun, a common word."""
        return self.lex.rejected(name)


    # ---- people: a name beside a role word

    def _roles(self) -> None:
        text = self.text
        for a, b in self.spans:
            for r in self.lex.role_re.finditer(text, a, b):
                if self.lang == "en" or r.group().isascii() and self.lang != "ja":
                    # Chief Executive Dana Whitlock; Chen Mingyu, the chief financial officer
                    m = _LATIN_NAME.match(text, r.end() + 1) if text[r.end():r.end() + 1] == " " else None
                    if m and " " in m.group() and not self.lex.type_end.search(m.group()):
                        self.add(m.start(), m.end(), slug(m.group()), "person")
                    before = text[max(a, r.start() - 40):r.start()]
                    m = re.search(rf"({_LATIN_NAME.pattern}),\s(?:the\s|its\s)?$", before)
                    if m and " " in m.group(1) and not self.rejected(m.group(1)) and not self.lex.type_end.search(m.group(1)):
                        s = r.start() - len(before) + m.start(1)
                        self.add(s, s + len(m.group(1)), slug(m.group(1)), "person")
                elif self.lang == "zh":  # the name after the role (董事长王启东): the analyser's name tokens
                    toks = tokens_zh(text, r.end(), min(b, r.end() + 8))
                    name = []
                    for t in toks:
                        if not t.common and t.tag == "x" or t.tag.startswith("nr"):
                            name.append(t)
                            if len("".join(x.text for x in name)) >= 2:
                                break
                        else:
                            break
                    after = toks[len(name)].text if len(toks) > len(name) else ""
                    # 控股股东宏星控股: a name before a type word is a company's, not a person's
                    if name and 2 <= name[-1].end - name[0].start <= 4 and fold(after) not in self.lex.type_of:
                        self.add(name[0].start, name[-1].end, slug(text[name[0].start:name[-1].end]), "person")
                else:  # the name before the role (森岡一郎社長, サム・オルトマン最高経営責任者)
                    kana = re.search(r"[\u30a0-\u30ff]+(?:[・＝][\u30a0-\u30ff]+)+$", text[max(a, r.start() - 24):r.start()])
                    if kana:
                        self.add(r.start() - len(kana.group()), r.start(), slug(kana.group()), "person")
                        continue
                    toks = tokens_ja(text, max(a, r.start() - 8), r.start())
                    name = []
                    for t in reversed(toks):
                        if "人名" in t.tag:
                            name.insert(0, t)
                        else:
                            break
                    if name and name[-1].end == r.start():
                        self.add(name[0].start, name[-1].end, slug(text[name[0].start:name[-1].end]), "person")

    def _dotted(self) -> None:
        """A Han name with a middle dot is a foreign person's, as Chinese writes them (山姆·奥特曼); Japanese
        writes lists so (台湾・鼎豊光電), and a place or a company is never a person's name."""
        if self.lang != "zh":
            return
        for a, b in self.spans:
            for m in _DOTTED_PERSON.finditer(self.text, a, b):
                start, end = m.start(), m.end()
                dot = m.start() + max(m.group().find("·"), m.group().find("・"), m.group().find("•"))
                if self.lang == "zh":  # the name is cut from the words around it (首席执行官|萨姆·奥特曼|表示)
                    for t in tokens_zh(self.text, dot + 1, m.end()):
                        if t.tag.startswith(_KEPT_TAGS) and t.start > dot + 1:
                            end = t.start
                            break
                    for t in reversed(tokens_zh(self.text, m.start(), dot)):
                        if t.end < dot and (t.common and len(t.text) > 1 or self.lex.role_re.search(t.text)
                                            or any(ch in _FUNCTION_CHARS for ch in t.text)):
                            start = t.end
                            break
                left, _, right = re.split(r"([·・•])", self.text[start:end], maxsplit=1)
                if self.lex.is_place(left) or self.lex.type_end.search(right):
                    continue
                self.add(start, end, slug(self.text[start:end]), "person")

    # ---- a name and its translation in parentheses

    def _paired(self) -> None:
        text = self.text
        for a, b in self.spans:
            for m in _PAIRED.finditer(text, a, b):
                inner = m.group(1).strip()
                person = next((x for x in self.found.values() if x.kind == "person" and x.end == m.start()), None)
                if person and not self.rejected(inner):  # 山姆·奥特曼（Sam Altman）: the same person in Latin letters
                    self.add(m.start(1), m.start(1) + len(inner), person.entity, "person")
                    continue
                left = self._name_before(m.start(), a)
                role = (hit := self.lex.role_re.search(text, m.end(), min(b, m.end() + 12))) and hit.start() == m.end()
                if role and not self.lex.role_re.search(inner):  # 許嵐（シュー・ラン）最高経営責任者: a person
                    pid = slug(left[2] if left else inner)
                    if left:
                        self.add(left[0], left[1], pid, "person")
                    self.add(m.start(1), m.start(1) + len(inner), pid, "person")
                    continue
                if not left or self.rejected(inner) or self.rejected(left[2]) or re.fullmatch(r"[\d\s.,%]+", inner):
                    continue
                s, e, outer = left
                if script_of(inner) == script_of(outer) or self.lex.role_re.search(inner):
                    continue
                eid, known = self.ident(inner if script_of(inner) == "latin" else outer)
                if not known:
                    eid, known = self.ident(outer) if self.lex.known_id(outer) else (eid, known)
                self.add(s, e, eid, "org", known)
                self.add(m.start(1), m.start(1) + len(inner), eid, "org", known)

    def _name_before(self, pos: int, floor: int) -> tuple[int, int, str] | None:
        """The name that ends right before `pos`: a Latin one, a katakana one, or the Han name the analyser's
        tokens give (the last tokens that are names, not dictionary words)."""
        text = self.text
        m = re.search(rf"({_LATIN_NAME.pattern})\s?$", text[max(floor, pos - 60):pos])
        if m:
            s = pos - len(m.group()) + m.start(1) - m.start()
            return s, s + len(m.group(1)), m.group(1)
        m = re.search(r"([\u30a0-\u30ffＡ-Ｚａ-ｚA-Za-z・ー]{2,30})$", text[max(floor, pos - 30):pos])
        if m and _KANA_RUN.search(m.group(1)):
            return pos - len(m.group(1)), pos, m.group(1)
        start = max(floor, pos - 16)
        if not _HAN.search(text[start:pos]):
            return None
        toks = (tokens_ja if self.lang == "ja" else tokens_zh)(text, start, pos)
        name: list[Token] = []
        for t in reversed(toks):
            if not self._name_part(t) or len("".join(x.text for x in name)) + len(t.text) > 8:
                break
            if t.common and any(not x.common for x in name) and fold(t.text) not in self.lex.type_of:
                break  # 降压药|露丹宁: a common word before a name is what the name is, not the name
            name.insert(0, t)
        if not name or name[-1].end != pos or name[-1].end - name[0].start < 2:
            return None
        s = name[0].start
        return s, pos, text[s:pos]

    def _name_part(self, t: Token) -> bool:
        """Whether a token may stand inside a name: Han, kana or Latin letters, no function word, verb,
        adverb, particle, number or time, no group noun, place, role or common word of another kind."""
        f = fold(t.text)
        lex = self.lex
        return (re.fullmatch(r"[\u3400-\u9fff\u30a0-\u30ffＡ-Ｚａ-ｚA-Za-z・ー]+", t.text) is not None
                and f not in lex.group_nouns and f not in lex.places and f not in lex.not_names
                and not any(f == fold(r) for r in lex.roles.get(self.lang, []))
                and not any(ch in _FUNCTION_CHARS for ch in t.text)
                and not t.tag.startswith(("v", "d", "p", "c", "u", "m", "t", "f", "r", "動詞", "助", "副詞", "形容詞",
                                          "連体詞", "接続詞", "名詞/数詞", "代名詞"))
                and not t.tag.startswith(("名詞/普通名詞/サ変", "名詞/普通名詞/副詞可能")))

    # ---- names that end in a type word, by the analyser's tokens

    def _japanese(self) -> None:
        for a, b in self._sentences_with(self.lex.type_or_kana):
            if not self.lex.type_word.search(self.text, a, b) and all(
                    self.taken.overlaps(m.start(), m.end()) for m in _KANA_NAME.finditer(self.text, a, b)):
                continue  # its katakana words are names found already (マイクロソフト): nothing for the analyser
            toks = tokens_ja(self.text, a, b)
            self._typed(toks)
            # a katakana name the dictionary does not hold (アンペロン)
            i = 0
            while i < len(toks):
                j = i
                while j < len(toks) and re.fullmatch(r"[\u30a0-\u30ff・ー]+", toks[j].text):
                    j += 1
                run = toks[i:j]
                # one token the dictionary calls a place or a person (ウィーン) is that; a longer run is a name
                if run and any(not t.common for t in run) and len("".join(t.text for t in run)) >= 3 \
                        and not (len(run) == 1 and ("地名" in run[0].tag or "人名" in run[0].tag)):
                    s, e = run[0].start, run[-1].end
                    name = self.text[s:e]
                    if not self.rejected(name):
                        eid, known = self.ident(name)
                        self.add(s, e, eid, "org", known, "".join(t.reading for t in run), weak=True)
                i = max(j, i + 1)

    def _chinese(self) -> None:
        for a, b in self._sentences_with(self.lex.type_word):
            self._typed(tokens_zh(self.text, a, b))

    def _sentences_with(self, pattern: Gated | re.Pattern) -> Iterator[tuple[int, int]]:
        """The sentences of the readable spans where `pattern` occurs: the analysers run only there (a
        sentence with no type word and no katakana holds no name they would find)."""
        for a, b in self.spans:
            start = a
            for m in _SENTENCE_END.finditer(self.text, a, b):
                if pattern.search(self.text, start, m.end()):
                    yield start, m.end()
                start = m.end()
            if start < b and pattern.search(self.text, start, b):
                yield start, b

    def _typed(self, toks: list[Token]) -> None:
        """A name read leftwards from a type word: the type words, then the name-like tokens before them (a
        name the analyser did not know, a proper noun), stopping at a dictionary word, a group noun, a place,
        a particle or a verb."""
        lex = self.lex
        i = 0
        while i < len(toks):
            if fold(toks[i].text) not in lex.type_of and fold(toks[i].text) not in lex.legal:
                i += 1
                continue
            j = i
            while j + 1 < len(toks) and (fold(toks[j + 1].text) in lex.type_of or fold(toks[j + 1].text) in lex.legal):
                j += 1
            core: list[Token] = []
            k = i - 1
            while k >= 0 and sum(t.text not in "・＝" for t in core) < 4:
                t = toks[k]
                singles = all(len(x.text) == 1 for x in core) and len(core) < 2
                # an unknown Chinese name the segmenter broke into characters (驰|远|汽车, 丸|中|精密) is taken
                # two characters at most, whatever their tags; otherwise a dictionary word ends the name
                if len(t.text) == 1 and singles and _HAN.match(t.text) and t.text not in _FUNCTION_CHARS \
                        and fold(t.text) not in lex.places:
                    core.insert(0, t)
                    k -= 1
                    continue
                if t.text in "・＝" and k > 0 and _KANA_RUN.fullmatch(toks[k - 1].text) \
                        or core and _KANA_RUN.fullmatch(t.text) and _KANA_RUN.fullmatch(core[0].text):
                    # ノルディア・テクノロジーズ: the dot joins a katakana name to its type word, and a katakana
                    # word the analyser cut in two (ホン|ユエ) is one word
                    core.insert(0, t)
                    k -= 1
                    continue
                if not self._name_part(t) or len(t.text) == 1 or t.common and not (
                        t.tag.startswith("接尾辞") or fold(t.text) in lex.type_of):
                    break
                core.insert(0, t)
                k -= 1
            if not core and i > 0 and self.lang == "ja" and self._opens_a_name(toks, i - 1):
                core = [toks[i - 1]]
            if core and k >= 0 and 2 <= len(toks[k].text) <= 3 \
                    and toks[k].text[-1] in lex.product_measures.get(self.lang, ()):
                core = []  # 首款|量产|芯片: a product counted by its measure word, not a company
            s, e = (core[0].start, toks[j].end) if core else (0, 0)
            if core and self.text[s - 1:s].isdigit() and _HAN.match(self.text[s]):
                s += 1  # 2025年|宏岳视频, as the segmenter may join them: a character after a digit is its unit
            if core and e - s >= 3 and core[-1].end - s >= 2:
                if j + 1 < len(toks) and toks[j + 1].text in lex.government.get(self.lang, []):
                    e = toks[j + 1].end  # 経済産業|省: a ministry, not a company of that type
                name = self.text[s:e]
                if not self.rejected(name):
                    kind = "gov" if any(name.endswith(g) for g in lex.government.get(self.lang, [])) else "org"
                    eid, known = self.ident(name)
                    self.add(s, e, eid, kind, known, "".join(t.reading for t in core))
            i = j + 1

    def _opens_a_name(self, toks: list[Token], k: int) -> bool:
        """A Japanese common noun right before a type word names a company where it opens its phrase (青嵐|化学工業
        after 、): company names are often words of the language."""
        t = toks[k]
        return (len(t.text) >= 2 and t.tag.startswith("名詞/普通名詞/一般") and self._name_part(t)
                and (k == 0 or toks[k - 1].tag.startswith(("補助記号", "助詞"))))

    # ---- English and other Latin names

    def _latin(self) -> None:
        text, lex = self.text, self.lex
        uses = lru_cache(maxsize=None)(text.count)
        gov_words = {w.casefold() for w in lex.government["en"]}
        for a, b in self.spans:
            for m in _LATIN_NAME.finditer(text, a, b):
                name = re.sub(r"['’]s$", "", m.group().strip(" .-&"))
                s = m.start()
                if name.startswith("The "):
                    name, s = name[4:], s + 4
                first = re.match(r"([A-Z][A-Za-z]+)['’]s ", name)
                if first and self.lex.is_place(first.group(1)):  # Taiwan's Tingfeng Optronics
                    name, s = name[first.end():], s + first.end()
                if self.rejected(name) or len(name) < 2 or (name.isupper() and len(name) <= 2):
                    continue
                if " " not in name and uses(name) < 2 and not lex.type_end.search(name):
                    continue  # one capitalised word, once: a city, a product or a code, seldom a party
                if _sentence_initial(text, s) and uses(name) < 2 and not lex.type_end.search(name):
                    continue  # "Fusion start-up Helion ...": a capital at a sentence start names nothing by itself
                words = {w.casefold() for w in name.split()}
                kind = "gov" if words & gov_words else "org"
                eid, known = self.ident(name)
                self.add(s, s + len(name), eid, kind, known)

    # ---- every other place a document writes a name it uses, and its short form

    def _again(self) -> None:
        text = self.text
        forms: dict[str, tuple[str, str, bool]] = {}
        for eid, names in self.names.items():
            kind = self.kinds[eid]
            for n in set(names):
                forms.setdefault(n, (eid, kind, eid in self.known))
                if kind != "org":
                    continue
                core, types = self.lex.split_type(n)
                short = core.split(" ")[0] if script_of(core) == "latin" else core
                if short != n and (len(short) >= 4 if script_of(short) == "latin" else len(short) >= 2) \
                        and not self.rejected(short) and (types or script_of(n) == "latin"):
                    forms.setdefault(short, (eid, kind, eid in self.known))
        for form in sorted(forms, key=len, reverse=True):  # a document has few names: each is found by str.find
            eid, kind, known = forms[form]
            latin = form[0].isascii()
            for a, b in self.spans:
                at = text.find(form, a, b)
                while at >= 0:
                    end = at + len(form)
                    if not (latin and (text[at - 1:at].isalpha() or text[end:end + 1].isalpha())):
                        self.add(at, end, eid, kind, known)
                    at = text.find(form, end, b)

    def _merge_forms(self) -> None:
        """One entity for the long and short forms of one name in a document (鼎丰超市集团, 鼎丰超市, 鼎丰;
        Seiran Chemical Industries, Seiran): the same core once type words are set aside. The id of the name
        written most (a lexicon id first) stands for all."""
        self._trim_swallowed()
        by_core: dict[str, list[str]] = {}
        for eid, names in self.names.items():
            if self.kinds[eid] != "org":
                continue
            for n in set(names):
                core = self.lex.split_type(n)[0]
                key = fold(core.split(" ")[0] if script_of(core) == "latin" else fold_variants(core))
                if len(key) >= 2 and eid not in by_core.setdefault(key, []):
                    by_core[key].append(eid)
        into: dict[str, str] = {}
        for ids in by_core.values():
            ids = [into.get(i, i) for i in ids]
            if len(set(ids)) < 2:
                continue
            chosen = max(set(ids), key=lambda i: (i in self.known, len(self.names[i]), max(map(len, self.names[i])), i))
            for i in set(ids) - {chosen}:
                into[i] = chosen
                for k, v in list(into.items()):
                    if v == i:
                        into[k] = chosen
        for old, new in into.items():
            self.names.setdefault(new, []).extend(self.names.pop(old, []))
            if old in self.readings:
                self.readings.setdefault(new, []).extend(self.readings.pop(old))
            for m in self.found.values():
                if m.entity == old:
                    m.entity, m.known = new, new in self.known

    def _trim_swallowed(self) -> None:
        """A Han name that ends in another's whole name swallowed the words before it (元件廠|鼎豐光電, 车企|宏岳汽车):
        the mention is cut back to the name the document writes alone."""
        whole = {n: eid for eid, names in self.names.items() if self.kinds[eid] == "org"
                 for n in set(names) if _HAN.search(n) and len(n) >= 3}
        for m in self.found.values():
            name = self.text[m.start:m.end]
            for w, other in whole.items():
                if w != name and name.endswith(w):
                    names = self.names.get(m.entity, [])
                    if name in names:
                        names.remove(name)
                    if not names:
                        self.names.pop(m.entity, None)
                    m.start, m.entity, m.known = m.end - len(w), other, other in self.known
                    self.names.setdefault(other, []).append(w)
                    break
        self.found = {m.start: m for m in self.found.values()}

    def _anaphora(self) -> list[Mention]:
        mentions = [self.found[k] for k in sorted(self.found)]
        orgs = [m for m in mentions if m.kind == "org"]
        if not orgs:
            return mentions
        # "the company" is the article's subject where it has one named as a company; else the one named last
        subject = main_organisation(orgs, self.text, self.lex)
        named_as_company = any(m.entity == subject and (m.known or self.lex.split_type(self.text[m.start:m.end])[1])
                               for m in orgs)
        main = next(m for m in orgs if m.entity == subject) if named_as_company else None
        starts = [m.start for m in orgs]
        for a, b in self.spans:
            for r in self.lex.anaphora_re.finditer(self.text, a, b):
                if self.taken.overlaps(r.start(), r.end()):
                    continue
                i = bisect_left(starts, r.start())
                ref = main or (orgs[i - 1] if i else orgs[0])
                self.taken.add(r.start(), r.end())
                self.found[r.start()] = Mention(r.start(), r.end(), ref.entity, ref.known, "org")
        return [self.found[k] for k in sorted(self.found)]


def main_organisation(mentions: list[Mention], text: str, lex: EntityLexicon) -> str | None:
    """The organisation an article is about: one its type word or the lexicon calls a company (a product or a
    brand may be named as often), named most, the first named on a tie."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    typed: set[str] = set()
    for m in mentions:
        if m.kind != "org":
            continue
        counts[m.entity] = counts.get(m.entity, 0) + (0 if m.weak else 1)
        first.setdefault(m.entity, m.start)
        if m.known or lex.split_type(text[m.start:m.end])[1]:
            typed.add(m.entity)
    if not counts:
        return None
    return min(counts, key=lambda k: (k not in typed, -counts[k], first[k]))


def _sentence_initial(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1] in " \t\"'“‘(":
        pos -= 1
    return pos == 0 or text[pos - 1] in ".!?\n。！？"


# ---------------------------------------------------------------- across documents

@dataclass(slots=True)
class DocumentEntities:
    """Who is who in one document, as linking across documents needs it: its organisations and people, the
    organisation it is about, and its figures (money and counts, as value and unit): articles that share
    several figures (a translation, a rewrite) are about the same organisation."""
    entities: list[Entity]
    main: str | None = None
    figures: tuple[str, ...] = ()


def figures_of(claims: Iterable) -> tuple[str, ...]:
    """A document's figures as linking compares them: money and counts, each as its unit and value."""
    return tuple(sorted({f"{c.unit}:{c.value:.6g}" for c in claims if c.kind in ("money", "count") and c.value}))


SHARED_FIGURES = 3  # articles that share this many figures tell of one organisation
FIGURE_CAP = 20  # a figure in more articles than this (100%, 1 billion) says nothing of which


@dataclass
class EntityIndex:
    """Every entity id of a run with what linking needs: its kind, names, readings and mentions, merged over the
    documents that use it (an id is one entity wherever it appears), and where each figure is found. Small: a
    run names few organisations, and a figure is followed into at most FIGURE_CAP documents."""
    entries: dict[str, Entity] = field(default_factory=dict)
    docs: dict[str, int] = field(default_factory=dict)  # id -> the number of documents naming it
    mains: list[str | None] = field(default_factory=list)  # each document's organisation
    postings: dict[str, list[int]] = field(default_factory=dict)  # figure -> the documents giving it

    def display_names(self) -> dict[str, str]:
        """Each organisation id with the name it is shown by: a Latin name where it has one, else its longest."""
        return {i: _display_name(i, [i], self.entries) for i, e in self.entries.items() if e.kind == "org"}

    def add(self, doc: DocumentEntities) -> None:
        n = len(self.mains)
        self.mains.append(doc.main)
        if doc.main:
            for f in doc.figures:
                docs = self.postings.setdefault(f, [])
                if len(docs) <= FIGURE_CAP:
                    docs.append(n)
        for e in doc.entities:
            have = self.entries.get(e.id)
            self.docs[e.id] = self.docs.get(e.id, 0) + 1
            if have is None:
                self.entries[e.id] = Entity(e.id, e.kind, list(e.names), e.lang, e.known, e.mentions, list(e.readings))
                continue
            have.mentions += e.mentions
            have.known |= e.known
            if e.lang not in have.lang.split("/"):  # the languages it is named in
                have.lang = "/".join(sorted({*have.lang.split("/"), e.lang}))
            have.names += [n for n in e.names if n not in have.names][:8]
            have.readings += [r for r in e.readings if r not in have.readings][:4]


@dataclass
class Link:
    a: str
    b: str
    reason: str


@dataclass
class LinkedEntity:
    """One real-world entity of a run: its id, the name shown, its names per language, and why its ids were
    taken as one."""
    id: str
    name: str
    kind: str
    names: dict[str, list[str]]
    ids: list[str]
    mentions: int
    links: list[dict[str, str]]

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "names": self.names, "ids": self.ids,
                "mentions": self.mentions, "links": self.links}


class _Union:
    def __init__(self, ids: Iterable[str]):
        self.up = {i: i for i in ids}

    def find(self, x: str) -> str:
        while self.up[x] != x:
            self.up[x] = self.up[self.up[x]]
            x = self.up[x]
        return x


def link_entities(index: EntityIndex, rules: Rules) -> tuple[dict[str, str], list[LinkedEntity]]:
    """Which ids of a run name one organisation: a map from every id that changes to the id it takes, and
    the run's entities (organisations named in two documents or more, or linked), each with its reasons."""
    lex = entity_lexicon(rules)
    orgs = {i: e for i, e in index.entries.items() if e.kind == "org"}
    union = _Union(orgs)
    links: list[Link] = []
    apart = [(_resolve(a, orgs, lex), _resolve(b, orgs, lex)) for a, b in (p[:2] for p in lex.different if len(p) >= 2)]

    def join(a: str, b: str, reason: str) -> None:
        ra, rb = union.find(a), union.find(b)
        if ra == rb:
            return
        members_a = {i for i in orgs if union.find(i) == ra}
        members_b = {i for i in orgs if union.find(i) == rb}
        for x, y in apart:
            if x and y and (x in members_a and y in members_b or y in members_a and x in members_b):
                return
        union.up[rb] = ra
        links.append(Link(a, b, reason))

    for p in lex.same:
        ids = [i for i in (_resolve(n, orgs, lex) for n in p) if i]
        for other in ids[1:]:
            join(ids[0], other, "the user's rules say they are one (same)")
    for reason, keyed in _keys(orgs, lex):
        for key, ids in keyed.items():
            for other in ids[1:]:
                join(ids[0], other, reason.format(key=key.split("|")[0]))
    for a, b, reason in _sounds_alike(orgs, lex, union):
        join(a, b, reason)
    for a, b, reason in _shared_figures(index, orgs, lex):
        join(a, b, reason)

    people = _link_people({i: e for i, e in index.entries.items() if e.kind == "person"}, index)
    groups: dict[str, list[str]] = {}
    for i in sorted(orgs):
        groups.setdefault(union.find(i), []).append(i)
    mapping: dict[str, str] = {}
    linked: list[LinkedEntity] = []
    by_member = {}
    for l in links:
        by_member.setdefault(union.find(l.a), []).append(l)
    for members in groups.values():
        chosen = _display_id(members, orgs)
        for m in members:
            if m != chosen:
                mapping[m] = chosen
        if len(members) > 1 or index.docs.get(members[0], 0) > 1:
            names: dict[str, list[str]] = {}
            for m in members:
                e = orgs[m]
                for n in e.names:
                    lang = _language_of(n, e.lang)
                    if n not in names.setdefault(lang, []):
                        names[lang].append(n)
            linked.append(LinkedEntity(
                chosen, _display_name(chosen, members, orgs), "org", {k: names[k] for k in sorted(names)}, members,
                sum(orgs[m].mentions for m in members),
                [{"a": l.a, "b": l.b, "reason": l.reason} for l in by_member.get(union.find(members[0]), [])]))
    return mapping, sorted(linked, key=lambda e: (-e.mentions, e.id)) + people


def _link_people(people: dict[str, Entity], index: EntityIndex) -> list[LinkedEntity]:
    """People named in more than one document or script, one entity each: transliterations of one name
    (萨姆·奥特曼, 山姆·奥尔特曼, サム・オルトマン, Sam Altman) meet by the consonants they keep. People are no
    party to a figure, so this links them for the reader only."""
    union = _Union(people)
    reasons: dict[str, list[dict[str, str]]] = {}
    sounds = [(i, n, _person_sound(n)) for i, e in sorted(people.items()) for n in e.names]
    sounds = [(i, n, k) for i, n, k in sounds if len(k) >= 4]
    for x, (i, n, k) in enumerate(sounds):
        for j, m, l in sounds[x + 1:]:
            if union.find(i) != union.find(j) and k[0] == l[0] and fuzz.ratio(k, l) >= 80:
                reasons.setdefault(union.find(i), []).append({"a": i, "b": j, "reason": f"{n} and {m} sound alike ({k} ~ {l})"})
                reasons.setdefault(union.find(i), []).extend(reasons.pop(union.find(j), []))
                union.up[union.find(j)] = union.find(i)
    groups: dict[str, list[str]] = {}
    for i in sorted(people):
        groups.setdefault(union.find(i), []).append(i)
    out = []
    for root, members in groups.items():
        if len(members) < 2 and index.docs.get(members[0], 0) < 2:
            continue
        names: dict[str, list[str]] = {}
        for m in members:
            for n in people[m].names:
                lang = _language_of(n, people[m].lang)
                if n not in names.setdefault(lang, []):
                    names[lang].append(n)
        chosen = _display_id(members, people)
        out.append(LinkedEntity(chosen, _display_name(chosen, members, people), "person",
                                {k: names[k] for k in sorted(names)}, members,
                                sum(people[m].mentions for m in members), reasons.get(root, [])))
    return sorted(out, key=lambda e: (-e.mentions, e.id))


def _person_sound(name: str) -> str:
    """The consonants a person's name keeps in every script: pinyin of Han characters (first reading), Hepburn
    for kana, the letters of a Latin name; th as s, l and r dropped, v as b (Altman, 奥特曼 aoteman, オルトマン)."""
    if _HAN.search(name):
        latin = "".join((_pinyin_of(ch) or ("",))[0] for ch in fold_variants(name) if _HAN.match(ch))
    elif _KANA_RUN.search(name):
        latin = _kana_to_latin(name)
    else:
        latin = re.sub(r"[^a-z]", "", name.lower())
    for a, b in (("th", "s"), ("ph", "f"), ("sh", "s"), ("zh", "j"), ("ch", "c"), ("v", "b"), ("c", "k"),
                 ("q", "k"), ("x", "s")):
        latin = latin.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyhwlr]", "", latin))


def _language_of(name: str, named_in: str) -> str:
    """The language a name is written in, for the reader: kana Japanese, Latin English, Han as the documents
    naming it (Japanese only where no Chinese document does)."""
    return {"han": "ja" if named_in == "ja" else "zh", "kana": "ja"}.get(script_of(name), "en")


def _resolve(name: str, orgs: dict[str, Entity], lex: EntityLexicon) -> str | None:
    """The id a user's name stands for: an id, a lexicon name, or a name some entity is written as."""
    if name in orgs:
        return name
    known = lex.known_id(name)
    if known in orgs:
        return known
    f = fold(name)
    for i, e in sorted(orgs.items()):
        if any(fold(n) == f for n in e.names):
            return i
    return None


def _keys(orgs: dict[str, Entity], lex: EntityLexicon) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """Exact evidence, strongest first, as {key: ids sharing it}: the same name once its characters are folded;
    the same core and type once the type words are translated."""
    same_name: dict[str, list[str]] = {}
    same_core: dict[str, list[str]] = {}
    for i, e in sorted(orgs.items()):
        for n in e.names:
            f = fold(fold_variants(n))
            if i not in same_name.setdefault(f, []):
                same_name[f].append(i)
            core, kinds = lex.split_type(n)
            if kinds and len(fold(core)) >= 2:
                k = f"{fold(fold_variants(core))}|{min(kinds)}"
                if i not in same_core.setdefault(k, []):
                    same_core[k].append(i)
    yield "written alike once simplified, traditional and Japanese forms are folded ({key})", same_name
    yield "the same name ({key}) with its type word translated", same_core


def _sounds_alike(orgs: dict[str, Entity], lex: EntityLexicon, union: _Union) -> Iterator[tuple[str, str, str]]:
    """Names in different scripts that read alike: each entity's romanised cores (pinyin, Wade-Giles, Japanese
    readings, Hepburn for kana) against every Latin core, with compatible type words. An entity already linked
    to a Latin name is not romanised again (romanising is most of linking's time)."""
    latin: list[tuple[str, str, frozenset[int], str]] = []  # id, core, kinds, name
    other: list[tuple[str, str, frozenset[int], str]] = []
    pending: list[tuple[str, str, frozenset[int], str, Entity]] = []
    has_latin = {union.find(i) for i, e in orgs.items() if any(script_of(n) == "latin" for n in e.names)}
    for i, e in sorted(orgs.items()):
        for n in e.names:
            core, kinds = lex.split_type(n)
            if script_of(core) == "latin":
                # a lexicon entity's names in each language are the lexicon's: only names it lacks are matched by sound
                if len(fold(core)) >= 3 and not e.known:
                    latin.append((i, fold(core), kinds, n))
            elif union.find(i) not in has_latin:
                pending.append((i, core, kinds, n, e))
    if not latin or not pending:
        return
    # the cores of the other scripts are romanised only now that a Latin core waits for them
    latin_kinds = {k for _, _, ks, _ in latin for k in ks}
    for i, core, kinds, n, e in pending:
        # pykakasi's readings (half a second to load) only for a typed name a typed Latin name may match: a
        # Japanese company is named in Chinese in its own characters (森冈制药, Morioka Pharmaceutical)
        japanese = bool(kinds & latin_kinds)
        for r in romanised(core, e.readings if script_of(core) == "han" else (), japanese=japanese):
            other.append((i, r, kinds, n))
    by_skeleton: dict[str, list[int]] = {}
    for k, (_, core, _, _) in enumerate(latin):
        by_skeleton.setdefault(skeleton(core), []).append(k)
    for i, r, kinds, name in other:
        for k, (j, core, lkinds, lname) in enumerate(latin):
            if i == j or kinds and lkinds and not kinds & lkinds:
                continue
            if r == core or len(r) >= 5 and fuzz.ratio(r, core) >= 88:
                yield i, j, f"{name} reads as {r}, as {lname} is written"
            elif len(skeleton(r)) >= 4 and skeleton(r) == skeleton(core) and _initial(r) == _initial(core):
                yield i, j, f"{name} sounds as {lname} ({skeleton(r)})"
            elif len(r) >= 6 and fuzz.ratio(_as_kana_spells(r, True), _as_kana_spells(core)) >= 88:
                yield i, j, f"{name} sounds as {lname} ({_as_kana_spells(r, True)})"


def _shared_figures(index: EntityIndex, orgs: dict[str, Entity], lex: EntityLexicon) -> Iterator[tuple[str, str, str]]:
    """The organisations two articles are about, where the articles share SHARED_FIGURES figures or more (a
    translation or a rewrite names its company in another script): both unknown to the lexicon, of compatible
    types."""
    from collections import Counter
    pairs: Counter = Counter()
    for docs in index.postings.values():
        if len(docs) <= FIGURE_CAP:
            for x, a in enumerate(docs):
                for b in docs[x + 1:]:
                    pairs[a, b] += 1
    for (a, b), shared in sorted(pairs.items()):
        i, j = index.mains[a], index.mains[b]
        if shared < SHARED_FIGURES or i == j or i not in orgs or j not in orgs or orgs[i].known or orgs[j].known:
            continue
        kinds_i = {k for n in orgs[i].names for k in lex.split_type(n)[1]}
        kinds_j = {k for n in orgs[j].names for k in lex.split_type(n)[1]}
        if kinds_i and kinds_j and not kinds_i & kinds_j:
            continue
        yield i, j, f"the articles about {orgs[i].names[0]} and {orgs[j].names[0]} share {shared} figures"


def _display_id(members: list[str], orgs: dict[str, Entity]) -> str:
    """The id a linked entity takes: a lexicon id, else the plain-Latin id named most, else the one named most."""
    known = [m for m in members if orgs[m].known]
    if known:
        return sorted(known)[0]
    return min(members, key=lambda m: (not m.isascii(), -orgs[m].mentions, len(m), m))


def _display_name(chosen: str, members: list[str], orgs: dict[str, Entity]) -> str:
    names = [n for m in members for n in orgs[m].names if n.isascii()] or orgs[chosen].names
    return max(sorted(set(names)), key=lambda n: (len(n.split()), -len(n)))


# ---------------------------------------------------------------- romanisation

def romanised(core: str, readings: Iterable[str] = (), japanese: bool = True) -> list[str]:
    """How a Han or kana core may be written in Latin letters: pinyin and Wade-Giles of each reading of its
    characters (simplified first), the Japanese readings the analyser gave and, for a name in Japanese text,
    pykakasi's (丸岡 -> maruoka), Hepburn for kana."""
    out: list[str] = []
    if _HAN.search(core):
        chars = fold_variants(core)
        options = [_pinyin_of(ch) for ch in chars]
        if all(options):
            for combo in list(product(*options))[:32]:
                p = "".join(combo)
                out += [p, _wade_giles(combo)]
        out += [_long_vowels(_kana_to_latin(r)) for r in readings if r]
        if japanese:
            out += _kun_on(core)
    elif _KANA_RUN.search(core):
        out.append(_long_vowels(_kana_to_latin(core)))
    return list(dict.fromkeys(o for o in out if o))


@lru_cache(maxsize=1)
def _pinyin_table() -> dict[int, str]:
    """pypinyin's character table (code point -> readings), loaded from its file alone: importing the package
    loads its phrase tables too (0.24 s), which a name's characters do not need."""
    import importlib.util
    spec = importlib.util.find_spec("pypinyin")
    path = Path(spec.origin).parent / "pinyin_dict.py"
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location("_checker_pinyin_dict", path))
    module.__loader__.exec_module(module)
    return module.pinyin_dict


@lru_cache(maxsize=4096)
def _pinyin_of(ch: str) -> tuple[str, ...]:
    raw = _pinyin_table().get(ord(ch))
    if not raw:
        return ()
    plain = (unicodedata.normalize("NFKD", r).encode("ascii", "ignore").decode() for r in raw.split(","))
    return tuple(dict.fromkeys(p.replace("v", "u") for p in plain))


# Wade-Giles initials for pinyin's, apostrophes dropped (as names in Taiwan are written: Tingfeng, Hsinchu)
_WADE = [("zh", "ch"), ("ch", "ch"), ("sh", "sh"), ("j", "ch"), ("q", "ch"), ("x", "hs"), ("z", "ts"), ("c", "ts"),
         ("r", "j"), ("d", "t"), ("b", "p"), ("g", "k")]


def _wade_giles(syllables: Iterable[str]) -> str:
    out = []
    for s in syllables:
        for a, b in _WADE:
            if s.startswith(a):
                s = b + s[len(a):]
                break
        s = re.sub(r"ong$", "ung", s)
        out.append(s)
    return "".join(out)


def _kana_to_latin(kana: str) -> str:
    import jaconv
    return re.sub(r"[^a-z]", "", jaconv.kana2alphabet(jaconv.kata2hira(unicodedata.normalize("NFKC", kana))))


def _long_vowels(r: str) -> str:
    """Hepburn without its long vowels, as names are written in Latin letters (seiran kougyou -> seiran kogyo)."""
    return re.sub(r"ou|oo", "o", re.sub(r"uu", "u", r))


def _kun_on(core: str) -> list[str]:
    """Japanese readings of a kanji core by pykakasi (丸岡 -> maruoka): only where the characters are in
    Japanese use. Loaded when first needed: its dictionaries take half a second."""
    if len(core) > 6:
        return []
    reading = "".join(item["hepburn"] for item in _kakasi().convert(_as_japanese(core)))
    return [_long_vowels(re.sub(r"[^a-z]", "", reading))]


def _as_japanese(han: str) -> str:
    """Han characters as Japanese writes them (冈 -> 岡), by OpenCC's tables, so pykakasi reads them."""
    return _to_japanese()(han)


@lru_cache(maxsize=1)
def _to_japanese():
    import opencc
    to_traditional, to_japanese = opencc.OpenCC("s2t").convert, opencc.OpenCC("t2jp").convert
    return lambda s: to_japanese(to_traditional(s))


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi
    return pykakasi.kakasi()


def _as_kana_spells(latin: str, from_kana: bool = False) -> str:
    """A name spelt with the sounds kana keep (th as s, l as r, v as b, one vowel for a run), without the
    vowel kana add after a consonant before another (ソルベリオン soruberion -> sorberion, as Solverion)."""
    s = latin.lower()
    for a, b in (("th", "s"), ("ph", "f"), ("ck", "k"), ("v", "b"), ("l", "r"), ("c", "k"), ("q", "k"), ("x", "ks"),
                 ("y", "i"), ("w", "u")):
        s = s.replace(a, b)
    if from_kana:
        s = re.sub(r"(?<=[^aeiou])u(?=[^aeiou])", "", s)
    s = re.sub(r"([aeiou])[aeiou]*", r"\1", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _initial(latin: str) -> str:
    """A name's first sound as kana keep it (l and r, v and b are one)."""
    return {"l": "r", "v": "b"}.get(latin[:1], latin[:1])


def skeleton(latin: str) -> str:
    """A Latin name's consonants as a Japanese transcription keeps them: th as s, v as b, l as r, m as n, ng
    as n, r before a consonant or at the end dropped, vowels and y, h, w dropped (Thunderbay -> sndb, as
    サンダーベイ sandaabei)."""
    s = latin.lower()
    for a, b in (("th", "s"), ("ph", "f"), ("ck", "k"), ("ng", "n"), ("v", "b"), ("l", "r"), ("c", "k"),
                 ("q", "k"), ("x", "ks"), ("m", "n"), ("sh", "s"), ("ch", "c"), ("ts", "s")):
        s = s.replace(a, b)
    s = re.sub(r"[aeiouyhw]", "", s)
    s = re.sub(r"r(?=[^r]|$)", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


# ---------------------------------------------------------------- claims under linked ids

def relabel(claim, mapping: dict[str, str]) -> None:
    """A claim's parties, subject, object and key under the ids linking gave (`link_entities`)."""
    if not mapping or not any(p in mapping for p in claim.parties):
        return
    claim.parties = sorted({mapping.get(p, p) for p in claim.parties})
    claim.subject = mapping.get(claim.subject, claim.subject)
    claim.object = mapping.get(claim.object, claim.object)
    if claim.keyed:
        parts = claim.key.split("|")
        parts[1] = "+".join(sorted({mapping.get(p, p) for p in parts[1].split("+")}))
        claim.key = "|".join(parts)
