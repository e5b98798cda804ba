"""Heinrich tiers of tickets from rules that say what happened to whom."""

from __future__ import annotations

import functools
import logging
import re
from importlib import resources
from os import PathLike

import numpy as np
import pandas as pd

from commlib._util import contains_words, texts_as_arrow
from commlib.errors import CommlibError, require_columns

logger = logging.getLogger(__name__)

#: Tiers from the bottom of the pyramid to the top.
TIERS: tuple[str, ...] = ("near_miss", "minor", "serious")
#: Heinrich's textbook ratio, serious : minor : near miss.
HEINRICH_RATIO: tuple[int, int, int] = (1, 29, 300)


# --------------------------------------------------------------------------------------
# severity_tiers
# --------------------------------------------------------------------------------------


@functools.cache
def _bundled_rules() -> pd.DataFrame:
    ref = resources.files("commlib.resources").joinpath("severity_rules.csv")
    with ref.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#", dtype=str, keep_default_na=False)


def severity_rules() -> pd.DataFrame:
    """Return the bundled severity rules as a table you can read, filter or extend.

    Columns: ``tier`` (near_miss, minor, serious, hedge, hazard_hedge, negation, generic
    or concrete),
    ``hazard``,
    ``pattern`` (a regular expression on title + text, matched case-insensitively) and
    ``note``. See ``commlib/resources/severity_rules.csv`` for the reasoning behind each
    row, in Chinese and in English (311 request types and descriptors).

    Returns
    -------
    pandas.DataFrame
        A new copy of the rules.

    Examples
    --------
    >>> rules = severity_rules()
    >>> sorted(rules["tier"].unique())  # doctest: +NORMALIZE_WHITESPACE
    ['concrete', 'generic', 'hazard_hedge', 'hedge', 'minor', 'near_miss', 'negation',
     'serious']
    >>> mine = pd.concat([rules, pd.DataFrame([{"tier": "near_miss", "hazard": "电气",
    ...                                        "pattern": "充电宝鼓包", "note": ""}])])
    """
    return _bundled_rules().copy()


#: Kinds of rule besides the tiers.
_KINDS: tuple[str, ...] = ("hedge", "hazard_hedge", "negation", "generic", "concrete")
#: Characters that end a clause: a negation reaches no further than its clause.
_CLAUSE_END = "，。,；;！!？?\n"
#: Characters that end a sentence: a generic safety word and the concrete hazard that
#: makes it a near miss stand in one sentence (a list item ended by ； is a sentence).
_SENTENCE_END = "。；;！!？?\n"
#: Most characters between a negation cue and the event word it negates.
NEGATION_REACH = 20
#: Most characters between a generic safety word and a concrete hazard word.
GENERIC_REACH = 60


def _load_rules(rules) -> pd.DataFrame:
    if rules is None:
        table = _bundled_rules()
    elif isinstance(rules, str | PathLike):
        table = pd.read_csv(rules, comment="#", dtype=str, keep_default_na=False)
    else:
        table = pd.DataFrame(rules)
    require_columns(table, ["tier", "pattern"], where="severity rules")
    bad = sorted(set(table["tier"]) - {*TIERS, *_KINDS})
    if bad:
        raise CommlibError(
            f"Unknown tier(s) {bad} in the severity rules; use near_miss, minor, serious, "
            "hedge, hazard_hedge, negation, generic or concrete."
        )
    if "hazard" not in table.columns:
        table = table.assign(hazard="")
    # groups in user patterns become non-capturing, so one outer group holds the match;
    # matching is always case-insensitive, so a leading (?i) is dropped
    pattern = table["pattern"].astype(str).str.replace(r"^\(\?i\)", "", regex=True)
    pattern = pattern.str.replace(r"(?<!\\)\((?!\?)", "(?:", regex=True)
    for tier, pat in zip(table["tier"], pattern, strict=True):
        try:
            re.compile(pat)
        except re.error as err:
            raise CommlibError(
                f"The severity rule ({tier}) {pat!r} is not a valid regular expression "
                f"({err}); fix it in the rules table."
            ) from err
    table = table.assign(pattern=pattern)
    return table.reset_index(drop=True)


def _with_generic(table: pd.DataFrame) -> pd.DataFrame:
    """The rules with each ``generic`` rule turned into ``near_miss`` rules that need a
    ``concrete`` word in the same sentence, at most ``GENERIC_REACH`` characters away.

    One rule per generic and concrete pair (the hazard is the concrete rule's); they come
    before the plain near_miss rules, so that a plain rule's words decide the match when
    both hold. Without concrete rules a generic rule tiers nothing.
    """
    generic = table[table["tier"] == "generic"]
    concrete = table[table["tier"] == "concrete"]
    rows = []
    gap = f"[^{_SENTENCE_END}]{{0,{GENERIC_REACH}}}?"
    for g in generic["pattern"]:
        for c, haz in zip(concrete["pattern"], concrete["hazard"], strict=True):
            pattern = f"(?:{c}){gap}(?:{g})|(?:{g}){gap}(?:{c})"
            rows.append({"tier": "near_miss", "hazard": haz, "pattern": pattern})
    rest = table[~table["tier"].isin(["generic", "concrete"])]
    if not rows:
        return rest.reset_index(drop=True)
    return pd.concat([pd.DataFrame(rows), rest], ignore_index=True)


def _alternation(patterns) -> str | None:
    patterns = [p for p in patterns if isinstance(p, str) and p]
    if not patterns:
        return None
    return "|".join(f"(?:{p})" for p in patterns)


def _blank(text: pd.Series, patterns, fast: bool = True) -> pd.Series:
    """Replace every match of the alternation of ``patterns`` by one placeholder character.

    Only the texts the prefilter lets through are searched; the others cannot match.
    """
    pattern = _alternation(patterns)
    if not pattern:
        return text
    maybe = _maybe(text, patterns) if fast else np.ones(len(text), dtype=bool)
    if not maybe.any():
        return text
    out = text.copy()
    patterns = [p for p in patterns if isinstance(p, str) and p]
    if not fast or len(patterns) == 1:
        out[maybe] = text[maybe].str.replace(pattern, "〇", regex=True, flags=re.IGNORECASE)
        return out
    # a rule that cannot match anywhere in a text never replaces anything in it: each
    # text is searched with the alternation of the rules its words allow, in rule order
    rows = text[maybe]
    score = _scorer(rows)
    arrow = texts_as_arrow(rows)
    allowed = np.column_stack([_maybe(rows, [p], score=score, arrow=arrow) for p in patterns])
    keys, sets = pd.factorize(pd.Series([r.tobytes() for r in np.packbits(allowed, axis=1)]))
    for k, key in enumerate(sets):
        use = np.unpackbits(np.frombuffer(key, dtype=np.uint8))[: len(patterns)].astype(bool)
        if not use.any():
            continue
        group = rows[keys == k]
        alternation = _alternation([p for p, u in zip(patterns, use, strict=True) if u])
        out[group.index] = group.str.replace(alternation, "〇", regex=True, flags=re.IGNORECASE)
    return out


# --------------------------------------------------------------------------------------
# prefilters: literal words every match must contain
# --------------------------------------------------------------------------------------
# Python's ``re`` tries every rule at every position of every text, and rules that begin
# with a clause scan (``[^，。]*(?:报销|理赔)``) cost time quadratic in the clause. A
# prefilter is a plain alternation of literal words, one of which every match of a rule
# must contain (read from the parsed pattern: a rule ``(?:发生|有)[^，]{0,8}(?:火灾|受伤)``
# needs 发生 or 有, and needs 火灾 or 受伤). A text that contains none of them cannot
# match, so the rule (search, extract or replacement) runs on the other texts only: the
# results are the same, the work much smaller. Of the word sets a rule needs, the one
# fewest texts of a sample contain is used (any of them gives the same results).

#: Most words a prefilter may list before it is not worth it.
_PREFILTER_MAX_WORDS = 400
#: Texts sampled to choose each rule's most selective word set.
_PREFILTER_SAMPLE = 2000
#: Characters of that sample at most: each word is counted in it, and 2,000 long real
#: messages (350 characters on average, up to 7,000) made counting 1.8 of 6.6 s.
_PREFILTER_SAMPLE_CHARS = 100_000


def _weakness(words: tuple[str, ...]) -> tuple[int, int]:
    """How many texts a word set is likely to let through: one-character words first."""
    return sum(len(w) == 1 for w in words), len(words)


def _required(items, score) -> list[tuple[str, ...]]:
    """Word sets the parsed sequence ``items`` needs: every match contains a word of each."""
    from re import _constants as c

    options: list[tuple[str, ...]] = []
    run = ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append((run,))
            run = ""
        if op is c.SUBPATTERN:
            options.extend(_required(av[-1], score))
        elif op is c.ATOMIC_GROUP:
            options.extend(_required(av, score))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            options.extend(_required(av[2], score))
        elif op is c.IN and all(o is c.LITERAL for o, _ in av):
            options.append(tuple(chr(v) for _, v in av))
        elif op is c.BRANCH:
            # a word of one set of each branch: the set that lets fewest texts through
            words: list[str] = []
            for branch in av[1]:
                sub = _required(branch, score)
                if not sub:
                    words = []
                    break
                words.extend(min(sub, key=score))
            if words:
                options.append(tuple(words))
        # else: lookarounds, anchors, negated classes, optional parts need nothing
    if run:
        options.append((run,))
    return options


@functools.lru_cache(maxsize=4096)
def _parsed(pattern: str):
    from re import _parser

    try:
        return _parser.parse(pattern, re.IGNORECASE).data
    except Exception:  # noqa: BLE001 - any surprise in a private parser: no prefilter
        return None


def _required_words(pattern: str, score=_weakness) -> tuple[tuple[str, ...], ...]:
    """Word sets every match of ``pattern`` needs (empty when none is known).

    ``score`` ranks word sets (lower: fewer texts let through) where a choice is made.
    """
    items = _parsed(pattern)
    if items is None:
        return ()
    kept = []
    for words in _required(items, score):
        # a word that contains a shorter one of the same set adds nothing
        words = sorted(set(words), key=lambda w: (len(w), w))
        short: list[str] = []
        for w in words:
            if not any(k in w for k in short):
                short.append(w)
        if 0 < len(short) <= _PREFILTER_MAX_WORDS:
            kept.append(tuple(short))
    return tuple(kept)


def _scorer(text: pd.Series):
    """Rank word sets by how often their words occur in a sample of ``text``."""
    sample = "\n".join(text.iloc[:: max(1, len(text) // _PREFILTER_SAMPLE)].tolist())
    sample = sample[:_PREFILTER_SAMPLE_CHARS].lower()
    seen: dict[str, int] = {}

    def score(words: tuple[str, ...]) -> tuple[int, int, int]:
        for w in words:
            if w not in seen:
                seen[w] = sample.count(w.lower())
        return (sum(seen[w] for w in words), *_weakness(words))

    return score


def _maybe(text: pd.Series, patterns, fast: bool = True, score=None, arrow=None) -> np.ndarray:
    """True for texts that may match one of ``patterns``; the others cannot match.

    ``arrow``: ``text`` as an Arrow array (:func:`texts_as_arrow`), when several prefilters
    run on the same texts."""
    patterns = [p for p in patterns if isinstance(p, str) and p]
    n = len(text)
    if not fast:
        return np.ones(n, dtype=bool)
    if n == 0 or not patterns:
        return np.zeros(n, dtype=bool)
    score = score or _scorer(text)
    words: set[str] = set()
    for pattern in patterns:
        options = _required_words(pattern, score)
        if not options:
            return np.ones(n, dtype=bool)
        words.update(min(options, key=score))
    return contains_words(text, words, arrow=arrow)


def severity_tiers(
    df: pd.DataFrame,
    *,
    rules=None,
    columns: tuple[str, ...] = ("title", "text"),
) -> pd.DataFrame:
    """Give each ticket a Heinrich tier (near miss, minor, serious) from rules on its words.

    Use it to count the pyramid and to find the near misses worth acting on. A tier says
    what happened to whom: a minor or serious tier needs an event word about a person
    (a fall, a burn, an injury, a death, a fire), not negated in its clause and not in
    paperwork, a claim, a figure of speech or about animals or crops; a near miss needs
    a named hazard (wiring, gas, blocked exits, unsafe structures, falling trees ...).
    The rules (default: :func:`severity_rules`, in Chinese and English) are regular
    expressions on the ticket's title and text, joined as two clauses. Order of work:

    1. ``near_miss`` rules run on the text as written (飞线充电, 楼道堆物, 电线老化,
       燃气味, 消防隐患, gas smell, downed wires, unsafe building ...), after
       ``hazard_hedge`` rules remove what is no present physical hazard: a hazard in the
       future (建成后将存在安全隐患), an abstract one (身心健康存在隐患, 资金隐患),
       one under a condition (如果没有围栏...存在隐患), traffic, commuting and crowds
       (入学路途远，安全隐患大; 人员复杂...隐患), a pretext (以山体滑坡为由) or
       paperwork (危房改造). A ``generic`` safety word (存在安全隐患, 非常危险,
       万一着火, 担心出事故) is a near miss only when a ``concrete`` hazard (电线,
       消防通道, 杂物, 开裂, 护栏, a failing lift ...) stands in the same sentence, at
       most ``GENERIC_REACH`` (60) characters away: 楼道堆满杂物，存在安全隐患 is one,
       屋顶垃圾成为安全隐患 is not.
    2. ``hedge`` rules remove what is not an event: hypothetical or feared harm
       (万一着火, 发生火灾跑不出去, risk of fire), harm to interests (严重伤害群众利益),
       clauses about paperwork or claims (死亡证明, 工伤赔偿, insurance claim) and whole
       sentences about a claim (被狗咬伤，打了疫苗，医保可以报销多少), events cited from
       the news, from elsewhere or as a lesson (看到新闻说...发生火灾), casualties
       without a count (造成人员伤亡, but not 三人伤亡), suicides, harm as an issue
       heading (火灾问题), deaths of animals or crops (鱼大量死亡, dead animal), deaths
       from illness. 会 inside a word (社会, 村委会) is no hypothetical, and 甚至发生过
       reports what happened.
    3. ``negation`` rules name cues (未, 没有, 无, 并未, no, not, without ...); an event
       word of a ``minor`` or ``serious`` rule that follows a cue in the same clause,
       at most ``NEGATION_REACH`` (20) characters later, is removed (未导致人员死亡,
       无人受伤, no one was injured). Cues that negate something else (未经, 未及时,
       无法, 无证) are not cues.
    4. ``minor`` (摔伤, 烫伤, 受伤, injured ...) and ``serious`` (火灾, 起火, 重伤 but not
       严重伤害, 死亡, 骨折, an injury followed by 送医 or 住院, fire, died ...) rules run
       on what is left. Hospital words alone (住院, 医院) are not an injury.

    A ticket takes the highest tier any rule gives it. A ticket no rule matches stays
    untiered (missing): nothing is guessed from the category or the department.
    ``benchmarks/eval_heinrich.py`` measures the rules on a hand-labelled sample of real
    messages.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    rules : DataFrame, path or list of dicts, optional
        Rules with columns ``tier``, ``pattern`` (and optionally ``hazard``, ``note``)
        that *replace* the bundled ones; to extend, concatenate with
        :func:`severity_rules`.
    columns : tuple of str, default ("title", "text")
        Text columns searched; those absent are skipped.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``tier`` (ordered categorical near_miss < minor < serious,
        missing when untiered), ``tier_match`` (the words that decided it) and
        ``hazard`` (the hazard of the deciding rule).

    Raises
    ------
    commlib.errors.MissingColumnsError
        If none of ``columns`` is present.
    commlib.errors.CommlibError
        If a rule has an unknown tier or a pattern that does not compile.

    Notes
    -----
    On 7,142 real messages of a Chinese government message board (TipDM 2020), read
    by hand in samples stratified over the rules' output (``benchmarks/eval_heinrich.py``,
    estimates weighted by the design): the rules before issue 14 tiered 275 messages,
    20% of them with the right tier, and found 6% of the messages with a tier; these
    rules tier about 800 (most of them near misses: named hazards), 81% with the right
    tier, and find 68%, on the 149 messages they were refined on; on 40 further
    messages, 78% of the 32 tiered have the right tier. After a second round of rules
    (claims reach their sentence, events cited from the news, casualties without a
    count, pets) refined on those 189: 93% / 99% on the 149 and 80% / 97% on the 40,
    but on 101 messages labelled before that round and never used to change a rule
    (``heldout2``) 59% of the tiered have the right tier (59% before the round) and 55%
    of those with a tier are found (55% before). A third round (scope of events cited
    from elsewhere, future and abstract 隐患, roads, railings and crumbling houses,
    deaths from illness, fears) was written from heldout2's errors (now 83% / 86%
    there); on 98 further messages labelled before it (``heldout3``) precision went
    from 45% to 50% and recall from 67% to 69%. A fourth round (similes, risks talked
    about, harms listed as the kinds of a risk, hazards under a condition, claims in
    court, pretexts, traffic and crowds called 隐患) was written from heldout3 and a fresh
    set (``heldout4``, 67% / 93% before, 84% / 99% after); on 83 further messages labelled
    before it and measured once after it (``heldout5``) precision went from 57% to 67%
    and recall from 78% to 74%: on new text expect about 0.65 / 0.75. A fifth round
    (session 7: generic safety words need a concrete hazard in their sentence; blasting,
    hill fires and exam exemptions are no serious event) was written from heldout3-6;
    on 40 further messages labelled before it and measured once after it (``heldout7``)
    precision went from 65% to 77% and recall stayed at 100% (heldout6, studied: 70% /
    72% -> 100% / 86%); on the earlier sets precision rose and recall fell (heldout3
    56% / 72% -> 73% / 66%): on new text expect about 0.75 / 0.7. Fresh sets drawn since
    (``heldout9`` to ``heldout15``, each 30 messages the rules tier and 30 untiered ones
    naming a harm or hazard) found precision 0.77-0.90 and recall 0.20-0.51 at first
    sight: the rules are mostly right when they tier, and miss half or more of the
    messages with a tier, most of them near misses and injuries told in everyday words
    (一不小心就会被车撞, a gas station five metres from homes). Two rounds in session 13
    (dangers met in passing, accidents counted at a spot, harm averted by luck, deaths
    counted; safety distances, structures about to fall, assaults) changed no tier of
    the set labelled before each (``heldout11``: 0.83 / 0.51, ``heldout13``: 0.87 /
    0.29; and after the second, ``heldout14`` and ``heldout15``: 0.90 / 0.26 and 0.87 /
    0.20): on new text expect about 0.87 / 0.35.
    On 311 data the English rules tier 67 of 10,000 NYC requests (cave-ins, smoke and
    CO detectors, illegal conversions) and 7,357 of 121,145 Boston requests of 2015
    (make-safe sidewalk repairs, unsafe conditions, tree emergencies, fires).

    Each distinct text is tiered once, and a rule runs only on texts that hold one of
    the words every match of it needs (read from the pattern), so the results are those
    of running every rule on every text: about 26 CPU-s per million generated tickets
    instead of 160 (``benchmarks/bench_near_miss.py``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": [
    ...     "楼下有人飞线充电", "老人在台阶上摔伤了", "楼道电瓶车起火，有人送医",
    ...     "消防通道堵了，万一着火进不来", "厨房冒烟，未造成人员受伤", "楼上装修很吵",
    ...     "污水直排导致鱼大量死亡", "开发商严重伤害业主利益", "Downed wire sparking on sidewalk"]})
    >>> severity_tiers(df)["tier"].tolist()
    ['near_miss', 'minor', 'serious', 'near_miss', nan, nan, nan, nan, 'near_miss']
    """
    return _severity_tiers(df, rules=rules, columns=columns, fast=True)


def _severity_tiers(df: pd.DataFrame, *, rules, columns, fast: bool) -> pd.DataFrame:
    """The work of :func:`severity_tiers`; ``fast=False`` runs every rule on every text
    (no prefilter, no grouping of equal texts): the plain way, for tests and benchmarks.
    """
    present = [c for c in columns if c in df.columns]
    if not present:
        require_columns(df, list(columns[:1]), where="severity_tiers")
    table = _with_generic(_load_rules(rules))
    # the texts joined in Arrow, and made Python strings a block at a time (object
    # dtype, so that Python's re runs the rules: look-behind, look-ahead); joining them
    # as Python strings held three copies of every text (2M tickets: +0.9 GB)
    import pyarrow as pa
    import pyarrow.compute as pc

    from commlib.clean._arrow import _arrow, _where_replace

    full = _arrow(df[present[0]].fillna(""))
    for c in present[1:]:
        # title and text are two clauses: a negation in one does not reach the other
        sep = pa.scalar("。", pa.large_string())
        joined = pc.binary_join_element_wise(full, _arrow(df[c].fillna("")), sep)
        full = pc.utf8_trim(joined, characters="。")
        del joined
    # a paragraph break after Chinese text ends a sentence: an ideographic space (the
    # indent 　　) or two spaces; one space is often a writer's comma. Cleaning joins
    # paragraphs with one space, so cleaned tickets pass the check and stay as they are
    full = _where_replace(full, _CJK_BREAK, "\\1\n")
    out = df.copy(deep=False)
    # a block of rows at a time: a text's tier depends on it alone, and only one
    # block's Python strings and blanked copies exist at once (a hash table of every
    # distinct text, pandas' or Arrow's, cost 0.8-1 GB at 2M tickets)
    parts = []
    for a in range(0, max(len(full), 1), TIER_BLOCK):
        block = np.array(full.slice(a, TIER_BLOCK).to_pylist(), dtype=object)
        if fast:  # each distinct text of the block is tiered once (templates, repeats)
            codes, uniques = pd.factorize(block)
        else:
            codes, uniques = np.arange(len(block)), block
        found = _tier_texts(pd.Series(uniques, dtype=object), table, fast)
        parts.append([values[codes] for values in found])
        del block, uniques, found
    del full
    tier, match, hazard = (np.concatenate([p[k] for p in parts]) for k in range(3))
    del parts
    tier, match, hazard = (pd.Series(s, dtype=object) for s in (tier, match, hazard))
    out["tier"] = pd.Categorical(tier.to_numpy(), categories=list(TIERS), ordered=True)
    out["tier_match"] = match.astype("str").to_numpy()
    out["hazard"] = hazard.astype("str").to_numpy()
    return out


#: A paragraph break after a Chinese character (RE2 syntax, for Arrow).
_CJK_BREAK = r"(\p{Han})(?:\x{3000}|  )[\s\p{Zs}]*"


#: Rows tiered at a time (their Python strings and blanked copies in memory).
TIER_BLOCK = 200_000


def _tier_texts(text: pd.Series, table: pd.DataFrame, fast: bool):
    """Tier, matched words and hazard of each text (object Series, RangeIndex): three
    object arrays, NaN where no rule fires."""
    tier = pd.Series(np.nan, index=text.index, dtype=object)
    match = pd.Series(np.nan, index=text.index, dtype=object)
    hazard = pd.Series(np.nan, index=text.index, dtype=object)

    def _patterns(*names: str) -> list[str]:
        return table.loc[table["tier"].isin(names), "pattern"].tolist()

    def _apply(name: str, source: pd.Series):
        nonlocal tier, match, hazard
        sub = table[table["tier"] == name]
        if sub.empty:
            return
        # each rule runs on the texts that hold the words it needs (a prefilter of
        # one Arrow pass); the others cannot match it
        maybe = _maybe(source, sub["pattern"], fast)
        if not maybe.any():
            return
        cand = source[maybe]
        score, arrow = (_scorer(cand), texts_as_arrow(cand)) if fast else (None, None)
        for pattern, haz in zip(sub["pattern"], sub["hazard"], strict=True):
            rows = cand[_maybe(cand, [pattern], fast, score=score, arrow=arrow)]
            if rows.empty:
                continue
            found = rows.str.extract(f"({pattern})", flags=re.IGNORECASE, expand=False)
            hit = (found.notna() & (found.astype(str) != "")).reindex(
                source.index, fill_value=False
            )
            if not hit.any():
                continue
            found = found.reindex(source.index)
            tier = tier.mask(hit, name)
            match = match.mask(hit, found)
            hazard = hazard.mask(hit, haz)

    # lowest tier first, so a higher tier overwrites it
    _apply("near_miss", _blank(text, _patterns("hazard_hedge"), fast))
    cleaned = _blank(text, _patterns("hedge"), fast)
    cues = _alternation(_patterns("negation"))
    events = _alternation(_patterns("minor", "serious"))
    if cues and events:
        negated = f"(?:{cues})[^{_CLAUSE_END}]{{0,{NEGATION_REACH}}}?(?:{events})"
        cleaned = _blank(cleaned, [negated], fast)
    _apply("minor", cleaned)
    _apply("serious", cleaned)
    return tier.to_numpy(), match.to_numpy(), hazard.to_numpy()
