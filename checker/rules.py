"""Load the knowledge in `rules/` (YAML) and overlay a user's own rules folder on it.

Every file is loaded with `yaml.safe_load`: no rule field is ever evaluated as code. A broken file stops the run
before any work is done, with the file, the line and what to fix (`RulesError`).
"""
from __future__ import annotations

import copy
import difflib
import hashlib
import json
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .files import installed, kept

_PACKAGED = Path(__file__).parent / "rules"  # inside a wheel
_SOURCE = Path(__file__).parent.parent / "rules"  # in a checkout or an editable install
BUILTIN_RULES = _PACKAGED if _PACKAGED.is_dir() else _SOURCE


def words_in(table: dict | list | None, lang: str | None = None) -> list[str]:
    """Words of one language from a `{zh: [...], ja: [...], en: [...]}` table, or of all languages."""
    if not table:
        return []
    if isinstance(table, list):
        return [str(w) for w in table]
    if lang is None:
        return [str(w) for ws in table.values() for w in ws]
    return [str(w) for w in table.get(lang, [])]


class RulesError(Exception):
    """A rules file that cannot be used; the message names the file, the line and the fix."""


@dataclass(eq=False)
class Rules:
    """All rule data by file stem (`numbers`, `units`, ...), plus the checks from `checks/*.yml` by id.

    Equal and hashed by content, so compiled grammars are cached per rule set, also in worker processes that
    receive the rules pickled.
    """

    data: dict[str, Any] = field(default_factory=dict)
    checks: dict[str, dict] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)
    token: str = ""

    def __hash__(self) -> int:
        return hash(self.token)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rules) and other.token == self.token

    def __getitem__(self, name: str) -> Any:
        return self.data.get(name, {})


class RulesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader where PyYAML was built with it (the rules load in a sixth of the time, 0.10 -> 0.015 s),
    refusing a key written twice in one mapping: YAML would keep the last silently, so an entry a user adds under a
    name that is already there (a second `NGN:`) would wipe out the first."""

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                mark = key_node.start_mark
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r} (the first one would be lost)", mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


REPORT_LANGUAGES = ("en", "zh", "ja")  # the languages a report and its labels are written in


def in_language(text: str | dict | None, lang: str = "en") -> str:
    """A rule's text in `lang`: a plain string is for every language; a mapping by language falls back to
    English."""
    if isinstance(text, dict):
        return str(text.get(lang) or text.get("en") or "")
    return str(text or "")


def label(rules: Rules, name: str, lang: str = "en") -> str:
    """What an editor calls a metric, slot or part of a key in `lang` (rules/metrics.yml `labels`), in English
    where that language has no word yet, else the id in words: never `investment_total`."""
    labels = rules["metrics"].get("labels") or {}
    for table in (labels.get(lang), labels.get("en")):
        if table and name in table:
            return str(table[name])
    return name.replace("_", " ")


def _merge(base: Any, over: Any) -> Any:
    """Overlay `over` on `base`: mappings merge key by key, anything else is replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    return copy.deepcopy(over)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RulesError(f"{path}: cannot read ({e}); fix: save it as UTF-8 text") from e
    try:
        # kept by the text's digest (`files.kept`): YAML's constructor took 0.03 s of every start for files
        # that change only with the rules
        loaded = kept("rules-yaml", hashlib.sha1(text.encode("utf-8")).hexdigest(),
                      lambda: yaml.load(text, Loader=RulesLoader))
    except yaml.YAMLError as e:
        # where the broken construct starts (an unclosed bracket's line), else where parsing gave up
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(e, "problem", None) or str(e)
        raise RulesError(f"{where}: broken YAML ({problem}); fix the syntax at that line") from e
    if not _within(loaded, MAX_RULE_VALUES):
        raise RulesError(f"{path}: more than {MAX_RULE_VALUES:,} values once its aliases (*name) are expanded; "
                         "fix: write the entries out, or use fewer aliases")
    return loaded


# values in one rules file, aliases expanded: the built-in files hold a few thousand. YAML aliases share one
# node, so a file of nested aliases a few lines long stands for billions of values once walked
MAX_RULE_VALUES = 1_000_000


def _within(data: Any, budget: int) -> bool:
    """Whether `data` holds at most `budget` values, walked as the rules' code walks it."""
    stack = [data]
    while stack:
        budget -= 1
        if budget < 0:
            return False
        node = stack.pop()
        if isinstance(node, dict):
            stack += [*node.keys(), *node.values()]
        elif isinstance(node, list):
            stack += node
    return True


def line_of(path: Path, needle: str, start: int = 1, lines: list[str] | None = None) -> int:
    """The first line from `start` on that holds `needle` (a key of a mapping under the one found before);
    `lines`, the file's, when the caller looks up many keys in it."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines() if lines is None else lines, 1):
        if i >= start and needle in line:
            return i
    return start


def load_rules(*overlays: str | Path | None) -> Rules:
    """The built-in rules with each overlay folder merged over them, in order."""
    rules = Rules()
    for folder in (BUILTIN_RULES, *(Path(o) for o in overlays if o)):
        if not folder.is_dir():
            raise RulesError(f"{folder}: rules folder not found; fix: pass an existing folder to --rules")
        rules.sources.append(folder)
        for path in sorted(folder.glob("*.yml")):
            loaded = _read_yaml(path)
            if loaded is None:
                continue
            if not isinstance(loaded, dict):
                raise RulesError(f"{path}:1: expected a mapping at the top of the file")
            if folder != BUILTIN_RULES:
                _check_overlay(path, loaded, rules.data)
            rules.data[path.stem] = _merge(rules.data.get(path.stem, {}), loaded)
        seen_here: dict[str, Path] = {}
        for path in sorted((folder / "checks").glob("*.yml")):
            check = _read_yaml(path)
            if not isinstance(check, dict) or "id" not in check:
                raise RulesError(f"{path}:1: a check needs an `id` (e.g. CC001); fix: add `id:` at the top")
            cid = str(check["id"])
            if cid in seen_here:
                raise RulesError(
                    f"{path}:{line_of(path, 'id:')}: duplicate check id {cid} (also in {seen_here[cid]}); "
                    "fix: give one of them another id"
                )
            seen_here[cid] = path
            if folder != BUILTIN_RULES:
                _check_check(path, check, rules.checks)
            check["_file"] = str(path)
            rules.checks[cid] = _merge(rules.checks.get(cid, {}), check)
    rules.data = with_traditional_forms(rules.data)
    content = json.dumps([rules.data, rules.checks], sort_keys=True, default=str, ensure_ascii=False)
    rules.token = hashlib.sha1(content.encode("utf-8")).hexdigest()
    return rules


CHECK_KEYS = ("id", "name", "kind", "severity", "description", "message", "title", "next", "params", "examples",
              "enabled")


def _kind(value: Any) -> str:
    """What kind of value a rule holds, as its error names it."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    return "a text" if isinstance(value, str) else "empty"


def _unknown(path: Path, what: str, key: str, known: Iterable[str]) -> RulesError:
    near = difflib.get_close_matches(str(key), [str(k) for k in known], n=1, cutoff=0.6)
    fix = f"did you mean `{near[0]}`?" if near else f"use one of {', '.join(sorted(map(str, known)))}"
    return RulesError(f"{path}:{line_of(path, f'{key}:')}: unknown {what} `{key}`, which nothing reads; fix: {fix}")


def _check_overlay(path: Path, over: dict, built: dict[str, Any]) -> None:
    """An overlay file's keys must be ones the built-in file of its name has, and its values of the same kind
    as there (a list where that file has a list), at every depth: a misspelt key was silently ignored, a value
    of the wrong kind stopped the run with a traceback. Below the top, a new key is an entry of the user's own
    (a new currency, a new company) and has the shape the built-in entries beside it share."""
    if path.stem not in built:
        raise _unknown(path, "rules file", path.stem, built)
    lines = path.read_text(encoding="utf-8").splitlines()  # read once: every key's line is looked up

    def walk(mine: dict, theirs: dict, depth: int, from_line: int) -> None:
        for key, value in mine.items():
            line = line_of(path, f"{key}:", from_line, lines)
            if key in theirs:
                ref = theirs[key]
            elif depth == 0:
                raise _unknown(path, "key", key, theirs)
            else:
                ref = _entry_shape(theirs)
            if value is None or ref is None:
                continue
            if _kind(value) != _kind(ref) and {_kind(value), _kind(ref)} != {"a number", "true or false"}:
                raise RulesError(f"{path}:{line}: `{key}` is {_kind(value)}, where the built-in rules give "
                                 f"{_kind(ref)}; fix: write it as {_kind(ref)}")
            if isinstance(value, dict) and isinstance(ref, dict):
                walk(value, ref, depth + 1, line)
    walk(over, built[path.stem], 0, 1)


def _entry_shape(entries: dict) -> Any:
    """What an entry of a built-in mapping looks like, when its entries agree (every currency a mapping with a
    `before` list): a mapping of every key they use, or the one kind they share; None when they differ."""
    values = [v for v in entries.values() if v is not None]
    if not values or len({_kind(v) for v in values}) != 1:
        return None
    if not isinstance(values[0], dict):
        return values[0]
    shape: dict = {}
    for v in values:
        for k, x in v.items():
            if k in shape and x is not None and shape[k] is not None and _kind(x) != _kind(shape[k]):
                shape[k] = None  # the built-in entries differ here: anything goes
            else:
                shape.setdefault(k, x)
    return shape


def _check_check(path: Path, check: dict, built: dict[str, dict]) -> None:
    """A check's keys must be ones a check has, and the parameters of a built-in check keep their kind."""
    for key in check:
        if key not in CHECK_KEYS:
            raise _unknown(path, "check key", key, CHECK_KEYS)
    params, theirs = check.get("params") or {}, (built.get(str(check["id"])) or {}).get("params") or {}
    if not isinstance(params, dict):
        raise RulesError(f"{path}:{line_of(path, 'params:')}: `params` is {_kind(params)}; fix: write it as a mapping")
    for key, value in params.items():
        if key in theirs and _kind(value) != _kind(theirs[key]):
            raise RulesError(f"{path}:{line_of(path, f'{key}:')}: parameter `{key}` is {_kind(value)} ({value!r}), "
                             f"where check {check['id']} takes {_kind(theirs[key])}; fix: write it as "
                             f"{_kind(theirs[key])}, e.g. {theirs[key]!r}")


def with_traditional_forms(data: Any) -> Any:
    """Every `zh:` word list or table of the rules in traditional script too (融资 -> 融資, 投后 -> 投後, Taiwan's
    forms as OpenCC's s2twp tables give them): the rules are written once, in simplified Chinese, and read Hong
    Kong and Taiwan copy alike. The words written stay first; a form already there is not added twice."""
    forms = traditional_forms(sorted(set(_zh_words(data))))

    def add(node: Any) -> Any:
        if isinstance(node, list):
            return [add(v) for v in node]
        if not isinstance(node, dict):
            return node
        out = {k: add(v) for k, v in node.items()}
        zh = out.get("zh")
        if isinstance(zh, list) and all(isinstance(w, str) for w in zh):
            out["zh"] = list(dict.fromkeys([*zh, *(f for w in zh for f in forms.get(w, ()))]))
        elif isinstance(zh, dict) and all(isinstance(w, str) for w in zh):
            out["zh"] = {**{f: v for w, v in zh.items() for f in forms.get(w, ())}, **zh}
        return out
    return add(data)


def _zh_words(node: Any):
    if isinstance(node, list):
        for v in node:
            yield from _zh_words(v)
    elif isinstance(node, dict):
        zh = node.get("zh")
        if isinstance(zh, (list, dict)):
            yield from (w for w in zh if isinstance(w, str) and not w.isascii())
        for v in node.values():
            yield from _zh_words(v)


def traditional_forms(words: list[str]) -> dict[str, list[str]]:
    """Each word's traditional forms (s2t, s2twp) other than itself. OpenCC's phrase tables take 45 MB and 0.1 s
    to load, in every process, for a few hundred words that change only with the rules: the forms are kept
    (`files.kept`) by the words and OpenCC's installed files."""
    def convert() -> dict[str, list[str]]:
        import opencc
        converters = [opencc.OpenCC(config).convert for config in ("s2t", "s2twp")]
        return {w: found for w in words if (found := [f for f in dict.fromkeys(c(w) for c in converters) if f != w])}
    return kept("traditional", [installed("opencc"), words], convert)


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The built-in rules, loaded once per process."""
    return load_rules()
