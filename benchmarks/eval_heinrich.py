"""Measure the Heinrich tier rules on real messages against a hand-labelled sample.

Data: the two TipDM 2020 message files in ``../shared/realdata/tipdm2020_messages/``
(7,142 real Chinese messages; title ``留言主题`` and text ``留言详情``), and for tier
counts on English text NYC 311 (``complaint_type`` + ``descriptor``) and Boston 311
2015 (``TYPE`` + ``CASE_TITLE``).

Old rules against new, same run: the old rules are commlib's ``heinrich.py`` and
``severity_rules.csv`` at commit ``OLD_COMMIT`` (before issue 14), read with
``git show`` into a temporary module.

The labelled sample (``benchmarks/data/heinrich_labels.csv``) holds only ids
(``file``, ``留言编号``), the sampling design (``stratum``, ``stratum_size``,
``stratum_sampled``) and the hand label (serious / minor / near_miss / none), never the
texts. Two samples, both drawn by stratified sampling over the rules' output:

- ``dev`` (149 messages, ``--draw``, seed 14): strata are the new rules' tier (or
  untiered) crossed with whether the old rules tiered the message, so that both the
  messages each rule set tiers and those it leaves out are read. It was drawn from a
  first draft of the new rules, and the rules were then refined on its errors, so its
  figures are optimistic.
- ``holdout`` (40 messages, seed 1414, strata ``holdout:new=<tier>``): drawn from the
  final rules among the messages not in ``dev``, labelled once and not used to change
  any rule.
- ``heldout2`` (101 messages, ``--draw-heldout2``, seed 20261205; see
  :func:`draw_heldout2`): drawn in session 4 from the rules of commit 82be636, before
  any rule was changed, among the messages in neither ``dev`` nor ``holdout``: 25
  messages the rules call near_miss, all 11 left they call minor, 25 they call
  serious, and 40 of the 1,290 untiered messages holding a harm or hazard word
  (``SAFETY_WORDS``). Labelled blind to the rules' output (shuffled, tier hidden). Rules
  at 82be636 on heldout2: precision 0.593, recall 0.549 (weighted). Rules after the
  session-4 round (refined on dev and holdout only): precision 0.594, recall 0.545:
  the round fixed dev (0.81 / 0.68 -> 0.93 / 0.99) and holdout (0.78 / 0.97 -> 0.80 /
  0.97) without changing heldout2. **In session 5 heldout2 became development data**:
  the rules of that round were written from its errors (0.594 / 0.545 -> 0.833 / 0.860),
  so its figures are now optimistic like dev's.
- ``heldout3`` (98 messages, ``--draw-heldout3``, seed 20261206; see
  :func:`draw_heldout3`): drawn in session 5 from the rules of commit 93bbc42, before any
  rule was changed, among the messages in none of dev, holdout, heldout2: 30 the rules
  call near_miss, all 8 left they call minor, 20 serious, and 40 of the 1,240 untiered
  messages holding a ``SAFETY_WORDS`` word. Labelled blind (shuffled, tier hidden) by
  one reader with the guide below, and committed (adb9a79) before any rule changed.
  Rules at 93bbc42: precision 0.454, recall 0.667; after the session-5 round, measured
  once at the end: precision 0.498, recall 0.694 (weighted). The target (0.80 / 0.60) is
  not met on fresh messages. Errors left on heldout3 (read after that measurement, no
  rule changed for them): claims about past deaths (救济金 for a father killed in
  traffic), figures of speech (像一个巨大的爆炸场声响), definitions (兄弟姐妹...死亡),
  feared fires not caught by a cue (发生火灾无处逃生, 别让...丧命), 安全隐患 about
  parking, gas bottles or lanterns, assaults cited as an accusation (被人投诉殴打).
  One difference of reading between labellers: the same land-seizure assault (村民被打伤,
  出院记录) is ``none`` in heldout2 and ``serious`` in heldout3. heldout3 has now been
  measured; a rule changed after its errors needs yet another fresh sample.
- ``heldout4`` (91 messages) and ``heldout5`` (83), ``--draw-heldout45`` (see
  :func:`draw_heldout45`, seeds 20261207 and 20261208): drawn in session 6 from the rules
  of commit 4e9f299, before any rule was changed, among the messages in no earlier set,
  with heldout3's quotas (only 1 minor and 33 serious were left). Labelled blind by one
  reader (shuffled, tier hidden) and committed (36f1e62) before any rule changed. The
  first pass read 450-character excerpts; the rest of every long message was then read
  (heldout5 still unscored: 2 labels changed; heldout4: 6, not blind). heldout4 was
  studied: rules at 4e9f299 precision 0.670, recall 0.926; after the session-6 round 0.841
  / 0.994. heldout5 is scored only with ``--final`` and was measured once, at the end of
  that round: 0.666 / 0.735 (rules at 4e9f299, scored at the same time: 0.566 / 0.779).
  The target precision (0.80) is not met on fresh messages.
- ``heldout6`` (40 messages) and ``heldout7`` (40), ``--draw-heldout67`` (see
  :func:`draw_heldout67`, seeds 20261209 and 20261210): drawn in session 7 from the rules
  of commit 400f0d3, before any rule was changed, among the messages in no earlier set.
  No message the rules call minor or serious was left, so each set is 20 the rules call
  near_miss and 20 untiered with a ``SAFETY_WORDS`` word. Labelled blind (shuffled, tier
  hidden, whole messages read) by one reader with the guide below and committed before
  any rule changed. heldout6 is for study; heldout7 is scored only with ``--final``.
  First sight on heldout6 (rules of 400f0d3): precision 0.700, recall 0.721; all 6 wrong
  near misses were a bare 安全隐患. The session-7 round (a generic safety word is a near
  miss only next to a concrete hazard in its sentence) was written from heldout3-6;
  heldout7 measured once at its end: precision 0.650 -> 0.765, recall 1.000 -> 1.000
  (400f0d3 -> session 7; 4 none tiered near_miss: 路灯...非常不安全 about a switch-off
  time, 外墙脱落 and 墙壁开裂 in fee or repair disputes, and 线路 read as wiring in
  公交线路停运...安全隐患). Other sets, 400f0d3 -> session 7: dev 0.956/0.985 ->
  0.989/0.905, holdout 0.768/0.814 -> 0.974/0.739, heldout2 0.855/0.828 -> 0.984/0.699,
  heldout3 0.563/0.719 -> 0.726/0.658, heldout4 0.841/0.994 -> 0.860/0.864, heldout5
  0.666/0.735 -> 0.827/0.690 (studied this round), heldout6 0.700/0.721 -> 1.000/0.860.
  Precision rose on every set, recall fell where earlier labellers called traffic
  worries near misses.
- ``heldout8`` (60 messages) and ``heldout9`` (60), ``--draw-heldout89`` (see
  :func:`draw_heldout89`, seeds 20261211 and 20261212): drawn in session 8 from the rules
  of commit 5322bf1, before any rule was changed, among the messages in no earlier set:
  30 the rules call near_miss (285 and 255 left) and 30 untiered with a ``SAFETY_WORDS``
  word per set. Labelled blind (shuffled, tier hidden, whole messages read) by one reader
  with the guide below and committed before any rule changed. heldout8 is for study;
  heldout9 is scored only with ``--final``. First sight on heldout8 (rules of 5322bf1):
  precision 0.700, recall 0.480 (8 none tiered near_miss: feared cracks 容易引起房屋开裂,
  a storage room 杂物间 read as clutter, 塌方式违建, a lift failure under 假设, congestion
  called 十分不安全; 5 near misses missed: a deep pit, a fire lane sold as parking, gas
  bottles in a shop, accidents that happened on a road, trucks passing pedestrians). The
  session-8 round (feared structural damage, the traffic hedge reading its sentence so a
  street light out before it keeps the 隐患, a street light no spot for the road rule,
  congestion no spot danger) was written from heldout3-8: heldout8 0.700 / 0.480 ->
  0.906 / 0.878, heldout6 1.000 / 0.860 -> 1.000 / 1.000, other studied sets unchanged.
  Scope of a dispute (decided in session 8): a hazard named as the object of a fee, repair
  or quality complaint is still a hazard (楼板开裂 in a repair dispute is a near miss), so
  the rules do not look at what the message asks for; heldout7's two dispute messages
  labelled none (外墙脱落, 墙壁开裂) stay errors, not relabelled (not plainly wrong: a
  flaking facade and plaster cracks may be cosmetic). heldout9 measured once at the end
  of the round (weighted precision / recall): 0.767 / 0.492 with the rules of 5322bf1
  and 0.767 / 0.492 now (the same 30 tiered; target 0.80 / 0.60 missed). Its errors
  (read after measuring, no rule changed): 7 none tiered near_miss (危房 named in a
  rebuilding dispute, in 危房改建式办学 and in a demolition order; 私接 about a water
  pipe and a meter for fees; 今后可能...造成的消防隐患 beyond the future hedge's reach;
  路灯不亮...也不安全) and 5 near misses untiered (a road 路窄坑多, cars not slowing at a
  school crossing, a floor slab drilled through 楼板被打穿, dim street lights 看不见行人
  非常危险, a mixer truck 险些翻覆). Other sets, 5322bf1 -> session 8: heldout3
  0.726/0.658 -> 0.763/0.658, heldout5 0.827/0.690 -> 0.881/0.735, heldout6 1.000/0.860
  -> 1.000/1.000, heldout7 0.812/1.000 -> 0.867/1.000, heldout8 0.700/0.480 ->
  0.906/0.878; dev, holdout, heldout2, heldout4 unchanged.

- ``heldout10`` (60 messages) and ``heldout11`` (60), ``--draw-heldout1011`` (see
  :func:`draw_heldout1011`, seeds 20261213 and 20261214): drawn in session 13 from the
  rules of commit 5c79f1a, before any rule was changed, with heldout8/9's design (30 the
  rules call near_miss of 226 and 196 left, 30 untiered with a ``SAFETY_WORDS`` word of
  1,178 and 1,148). Labelled blind (shuffled, tier hidden, whole messages read) by two
  readers, one per set, with the guide below, and committed (8d17422) before any rule
  changed. heldout10 is for study, heldout11 is scored only with ``--final``. First
  sight on heldout10: precision 0.867, recall 0.373 (7 near misses and a death among the
  untiered: 一不小心就会被车撞 and two more dangers met in passing, a steep slope where
  危险 comes easily, accidents counted at a crossing, people killed counted, a death in
  a car accident; one none tiered because 短路 matched inside 缩短路灯). The session-13
  round was written from heldout9 (measured in session 8, now studied) and heldout10:
  a danger met in everyday passing (一不小心/稍不留神...就会被车撞, 摔, 掉进), an accident
  said to come easily (很容易发生危险/意外, a generic word that needs a concrete hazard;
  not 容易发生危险的路段, a definition), accidents counted in times (发生过几次...事故)
  also keeping the traffic 隐患, people killed counted (死了几个人), a death by accident
  in the plain words of a death (车祸身故; 身故 alone is any death), harm that reached a
  person (伤及小孩), a near overturn (险些翻覆) and a harm averted by luck (要不是...就被
  咬了), a structure cut through (楼板被打穿), a feared accident next to a concrete
  hazard (漏油...万一引发事故); no electric hazard in a tapped water pipe (私接水管), the
  renovation programme's papers (危房鉴定书, 危房改建) are paperwork, 短路 not inside
  缩短路灯, and a paragraph break (an ideographic space or two spaces after a Chinese
  character) ends a sentence. heldout10 0.867 / 0.373 -> 0.983 / 0.850, heldout9 0.767 /
  0.492 -> 0.863 / 0.674, heldout2 0.984 / 0.699 -> 0.985 / 0.731, heldout5 0.881 / 0.735
  -> 0.890 / 0.806, other sets unchanged; 24 of 7,142 messages change tier, each read.
  heldout11 measured once at the end of the round: **0.833 / 0.506 with the rules of
  5c79f1a and the same now** (no message of it changed tier; target 0.80 / 0.60: the
  precision is met, the recall not). Its errors (read after measuring): 4 none tiered
  near_miss (危房 in a housing-allocation and a rebuilding-permit story, 路灯长期不亮...
  都不安全 which the rule calls a street light out with a danger and two readers now call
  none, wall cracks from damp, a high-voltage line's distance cited in a tree dispute),
  4 near misses untiered (楼梯残缺 at a handover, pedestrians pushed into traffic by a
  fence, a gas station less than 5 m from homes, oil tanks short of the safety distance)
  and an assault with a 120 call tiered near_miss (its 危房 won).
- ``heldout12`` (60 messages) and ``heldout13`` (60), ``--draw-heldout1213`` (see
  :func:`draw_heldout1213`, seeds 20261215 and 20261216): drawn in session 13 from the
  rules of commit 37c881d (after the first round), same design (30 of 167 and 137
  near_miss, 30 of 1,114 and 1,084 untiered with a word), labelled blind by two more
  readers and committed (3fd7f12) before any rule of the second round was committed.
  First sight on heldout12 (rules of 37c881d): precision 0.900, recall 0.494. The
  second round was written from heldout11 (measured above) and heldout12: fuel and gas
  stores a few metres from homes or short of the safety distance (液化气站距离房屋不到
  五米, 没有达到国家标准的安全距离), stairs broken (楼梯残缺), a structure about to fall
  now (随时可能倒塌), a rhetorical safety question next to a concrete hazard (电梯...有安全
  可言吗), an assault that happened (重者动手打人; not when habitual: 就会动手打人);
  a high-voltage line at a distance named only when the distance is short, surface
  layers (墙面, 保温) cracking cosmetically, a street light out with a bare 不安全 none
  (two readers, heldout9 and heldout11, on the same story), the renovation of a
  crumbling house with a verb between (危房进行拆除改造), and 狗患 (a plague of dogs)
  alone none. heldout11 0.833 / 0.506 -> 0.977 / 0.861, heldout12 0.900 / 0.494 ->
  0.953 / 0.738, heldout4 0.860 -> 0.899 precision, heldout9 0.863 -> 0.887, others
  unchanged; 13 of 7,142 messages change tier, each read. **heldout13, measured once:
  precision 0.867, recall 0.288**, with the rules of 37c881d and with the second
  round's rules alike (no message of it changes tier). It was scored by mistake while
  the second round was being written (a script printed every set); no rule was changed
  after that, and the figure is the one the final rules give. Its 12 errors: 3 none
  tiered near_miss (a landslide, a collapse and railings climbed, named in a fee, a land
  and a civility message), blasting damage to homes labelled minor, 4 near misses
  untiered (accidents seen monthly at a crossing, a fire lane to be narrowed, a sinking
  road, congestion), 3 minor and 1 serious untiered (assaults and injuries told in
  words the rules do not hold).

- ``heldout14`` (60 messages) and ``heldout15`` (60), ``--draw-heldout1415`` (seeds
  20261217 and 20261218): drawn after the second round from the rules of f6c45ea (30
  of 108 and 78 near_miss left, 30 of 1,053 and 1,023 untiered with a word), labelled
  blind by two more readers (82a8a44) and measured once, no rule changed since: heldout14
  precision 0.900, recall 0.255 (7 near misses and a minor among the 30 untiered, 2 none
  tiered near_miss); heldout15 precision 0.867, recall 0.197 (7 near misses and a
  serious untiered, 3 none tiered near_miss, a minor tiered near_miss).

  Fresh sets at first sight in this session (heldout10-15, 360 messages, six readers):
  precision 0.867, 0.833, 0.900, 0.867, 0.900, 0.867 (all above 0.80; mean 0.87);
  recall 0.373, 0.506, 0.494, 0.288, 0.255, 0.197 (all below 0.60; mean 0.35). The
  recall is weighed by the untiered stratum (about 1,000-1,180 messages holding a harm or
  hazard word, of which the readers call a quarter near misses), and it falls as the
  tiered messages left to draw grow fewer. Most misses are near misses and injuries told
  in everyday words; each round's rules catch those of the sets they were written from
  and few of the next set.

- ``heldout16`` (60 messages) and ``heldout17`` (60), ``--draw-heldout1617`` (seeds
  20261219 and 20261220): drawn in session 14 from the same rules (f6c45ea, no tier rule
  changed since; 24 of the 48 unlabelled near_miss messages each, and 36 untiered ones
  holding a word), labelled blind by two more readers and measured once: heldout16
  precision 0.833, recall 0.225 (4 near misses and a serious among the 36 untiered, 4
  none tiered near_miss); heldout17 precision 0.875, recall 0.116 (4 near misses and 2
  serious untiered, 3 none tiered near_miss). The final rules on four fresh sets
  (heldout14-17, 240 messages, four readers): precision 0.83-0.90, recall 0.12-0.26.
  All eight fresh sets heldout10-17: precision mean 0.868 (every set above 0.80),
  recall mean 0.307 (every set below 0.60).

The ``set`` column names the sample. Estimates are weighted by ``stratum_size / stratum_sampled`` (each
labelled message stands for that many messages of its stratum); the confusion tables
count the labelled messages themselves.

Label guide (what the message reports, not what it fears; an event counts whenever it
happened at the place or to the people the message is about, a past one too, but not
one elsewhere cited as a warning): serious = a fire or
explosion happened, or a person died, was badly hurt or hospitalised by an accident or
assault; minor = a person was hurt lightly (a fall, a burn, a bite, an injury without
hospital); near_miss = a concrete physical hazard to people is reported (exposed or
fallen wiring, gas, blocked fire exits, e-bikes charged indoors, unsafe or cracking
structures, open manholes, falling objects, lift entrapment, a named safety hazard)
and no one was hurt; none = anything else (deaths from illness, paperwork and claims
about past injuries, deaths of fish or crops, harm to interests). Read the whole message,
not an excerpt. Session 6 reading of traffic: congestion, commuting, parking or a road
layout called 安全隐患 is none; a road is a near miss when a physical defect (a pit, a
broken railing, no cover) or a danger on that spot (车从身边擦过，十分危险, 事故多发) is
named. Earlier labellers called some traffic worries near misses (the same story is
near_miss in heldout2 214892 and none in heldout4 hot234020).
Session 8 readings (heldout8, heldout9): a cracking or drilled structure (楼板贯穿性裂缝,
承重墙被砸) is a near miss also when the message is a quality, repair or fee dispute about
it; plain quality defects (渗水, 空鼓, leaks) are none. Street lights out or dim are none
unless a danger on that spot is named (看不见行人，非常危险; 多次发生交通事故); a 消防隐患
or 火灾隐患 named at the place is a near miss.

Precision is over the tiered messages (share whose label is the tier given; "any tier":
whose label is some tier), recall over the messages labelled with a tier (share given
that tier; "any tier": given some tier).

Run: ``python benchmarks/eval_heinrich.py [--data DIR] [--draw] [--final] [--no-311]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's commlib, not an installed one

from _realdata import realdata as realdata_dir  # noqa: E402

OLD_COMMIT = "5adb5de"
LABELS = ROOT / "benchmarks" / "data" / "heinrich_labels.csv"
FILES = ("messages_hot_issues", "messages_with_replies")
TIER_ORDER = ["serious", "minor", "near_miss", "none"]
#: sets scored only with ``--final``: each measured once, at the end of its round
FINAL_SETS = (
    "heldout5",
    "heldout7",
    "heldout9",
    "heldout11",
    "heldout13",
    "heldout14",
    "heldout15",
    "heldout16",
    "heldout17",
)


def old_tiers():
    """severity_tiers of the old rules (module and CSV from OLD_COMMIT)."""
    tmp = Path(tempfile.mkdtemp(prefix="heinrich_old_"))
    for src, dst in (
        ("commlib/heinrich.py", "heinrich_old.py"),
        ("commlib/resources/severity_rules.csv", "severity_rules_old.csv"),
    ):
        text = subprocess.run(
            ["git", "show", f"{OLD_COMMIT}:{src}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (tmp / dst).write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("heinrich_old", tmp / "heinrich_old.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["heinrich_old"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    rules = str(tmp / "severity_rules_old.csv")
    return lambda df: module.severity_tiers(df, rules=rules)


def read_messages(folder: Path) -> pd.DataFrame:
    frames = []
    for name in FILES:
        raw = pd.read_excel(folder / f"{name}.xlsx", engine="openpyxl")
        frames.append(
            pd.DataFrame(
                {
                    "file": name,
                    "id": raw["留言编号"].astype("int64"),
                    "title": raw["留言主题"].fillna("").astype(str),
                    "text": raw["留言详情"].fillna("").astype(str).str.strip(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def tiers_of(messages: pd.DataFrame):
    from commlib.heinrich import severity_tiers

    new = severity_tiers(messages)
    old = old_tiers()(messages)
    return (
        new["tier"].astype(object).fillna("none"),
        old["tier"].astype(object).fillna("none"),
        new["tier_match"],
        old["tier_match"],
    )


def draw(messages, new, old, *, random_state=14) -> pd.DataFrame:
    """The stratified sample to label (ids and design only)."""
    stratum = "new=" + new + "|old=" + np.where(old != "none", "tiered", "none")
    quota = {s: 18 for s in stratum.unique()}
    quota["new=none|old=tiered"] = 20
    quota["new=none|old=none"] = 25
    rows = []
    for s, idx in stratum.groupby(stratum).groups.items():
        n = min(quota[s], len(idx))
        take = pd.Series(idx).sample(n, random_state=random_state).to_numpy()
        rows.append(
            pd.DataFrame(
                {
                    "file": messages.loc[take, "file"].to_numpy(),
                    "留言编号": messages.loc[take, "id"].to_numpy(),
                    "stratum": s,
                    "stratum_size": len(idx),
                    "stratum_sampled": n,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


#: Words that make an untiered message worth reading for heldout2: harm, hospital, fire,
#: gas, electricity, structures (fixed before heldout2 was drawn; not tuned afterwards).
SAFETY_WORDS = (
    "医院|住院|送医|抢救|120|死亡|死了|去世|身亡|受伤|伤害|伤亡|骨折|摔|跌|火|烧|燃气|煤气"
    "|天然气|漏电|触电|电线|坍塌|倒塌|垮塌|裂缝|事故|危险|安全|爆炸|溺水|砸|撞|咬"
)
#: heldout2 quotas: messages the rules tier, per tier, and untiered ones with SAFETY_WORDS.
HELDOUT2_QUOTA = {"near_miss": 25, "minor": 20, "serious": 25, "none": 40}


def draw_fresh(messages, new, labels, *, name, quota, random_state) -> pd.DataFrame:
    """A fresh labelling sample drawn from the current rules, leaving out labelled ids.

    Strata ``<name>:new=<tier>`` (``quota[tier]`` of the messages the current rules tier
    near_miss, minor, serious) and ``<name>:new=none|words`` (``quota["none"]`` of the
    untiered messages whose title or text holds one of ``SAFETY_WORDS``); messages already
    in ``labels`` are left out. Untiered messages without those words are not sampled:
    recall is over the messages that mention some harm or hazard.
    """
    seen = set(zip(labels["file"], labels["留言编号"], strict=True))
    fresh = ~pd.Series(
        [(f, i) in seen for f, i in zip(messages["file"], messages["id"], strict=True)],
        index=messages.index,
    )
    words = (messages["title"] + "。" + messages["text"]).str.contains(SAFETY_WORDS, regex=True)
    stratum = pd.Series(
        np.where(new == "none", np.where(words, "new=none|words", ""), "new=" + new),
        index=messages.index,
    )
    rows = []
    for tier, n_wanted in quota.items():
        part = "new=none|words" if tier == "none" else f"new={tier}"
        idx = messages.index[(stratum == part) & fresh]
        n = min(n_wanted, len(idx))
        take = pd.Series(idx).sample(n, random_state=random_state).to_numpy()
        rows.append(
            pd.DataFrame(
                {
                    "file": messages.loc[take, "file"].to_numpy(),
                    "留言编号": messages.loc[take, "id"].to_numpy(),
                    "stratum": f"{name}:{part}",
                    "stratum_size": len(idx),
                    "stratum_sampled": n,
                    "set": name,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def draw_heldout2(messages, new, labels, *, random_state=20261205) -> pd.DataFrame:
    """The heldout2 sample (issue 14, session 4), drawn before any rule was changed.

    :func:`draw_fresh` with ``HELDOUT2_QUOTA`` from the rules of commit 82be636 (only 11
    minor were left), leaving out dev and holdout.
    """
    return draw_fresh(
        messages, new, labels, name="heldout2", quota=HELDOUT2_QUOTA, random_state=random_state
    )


#: heldout3 quotas (session 5): about 60 the rules tier, 40 untiered with SAFETY_WORDS.
HELDOUT3_QUOTA = {"near_miss": 30, "minor": 10, "serious": 20, "none": 40}


def draw_heldout3(messages, new, labels, *, random_state=20261206) -> pd.DataFrame:
    """The heldout3 sample (issue 14, session 5), drawn before any rule was changed.

    :func:`draw_fresh` with ``HELDOUT3_QUOTA`` from the rules of commit 93bbc42, leaving
    out dev, holdout and heldout2.
    """
    return draw_fresh(
        messages, new, labels, name="heldout3", quota=HELDOUT3_QUOTA, random_state=random_state
    )


#: heldout4 / heldout5 quotas (session 6): as heldout3.
HELDOUT45_QUOTA = HELDOUT3_QUOTA


def draw_heldout45(messages, new, labels) -> pd.DataFrame:
    """The heldout4 and heldout5 samples (issue 14, session 6), drawn before any rule changed.

    :func:`draw_fresh` with ``HELDOUT45_QUOTA`` from the rules of commit 4e9f299, leaving
    out dev, holdout, heldout2 and heldout3; heldout4 (seed 20261207) first, then heldout5
    (seed 20261208) leaving out heldout4 too. heldout4 is for study, heldout5 is measured
    once at the end of the round.
    """
    four = draw_fresh(
        messages, new, labels, name="heldout4", quota=HELDOUT45_QUOTA, random_state=20261207
    )
    seen = pd.concat([labels[["file", "留言编号"]], four[["file", "留言编号"]]])
    five = draw_fresh(
        messages, new, seen, name="heldout5", quota=HELDOUT45_QUOTA, random_state=20261208
    )
    return pd.concat([four, five], ignore_index=True)


#: heldout6 / heldout7 quotas (session 7): fewer, so that both can be read whole in a round.
HELDOUT67_QUOTA = {"near_miss": 20, "minor": 5, "serious": 10, "none": 20}


def draw_heldout67(messages, new, labels) -> pd.DataFrame:
    """The heldout6 and heldout7 samples (issue 14, session 7), drawn before any rule changed.

    :func:`draw_fresh` with ``HELDOUT67_QUOTA`` from the rules of commit 400f0d3, leaving
    out every labelled message; heldout6 (seed 20261209) first, then heldout7 (seed
    20261210) leaving out heldout6 too. heldout6 is for study (first-sight figures
    recorded), heldout7 is measured once, with ``--final``, at the end of the round.
    """
    six = draw_fresh(
        messages, new, labels, name="heldout6", quota=HELDOUT67_QUOTA, random_state=20261209
    )
    seen = pd.concat([labels[["file", "留言编号"]], six[["file", "留言编号"]]])
    seven = draw_fresh(
        messages, new, seen, name="heldout7", quota=HELDOUT67_QUOTA, random_state=20261210
    )
    return pd.concat([six, seven], ignore_index=True)


#: heldout8 / heldout9 cap (session 8): at most 60 messages per set; the near misses the
#: rules give are split between the two sets, the rest of each set is untiered with words.
HELDOUT89_SIZE = 60


def draw_heldout89(messages, new, labels) -> pd.DataFrame:
    """The heldout8 and heldout9 samples (issue 14, session 8), drawn before any rule changed.

    :func:`draw_pair` from the rules of commit 5322bf1: heldout8 (seed 20261211) for
    study (first-sight figures recorded), heldout9 (seed 20261212) measured once, with
    ``--final``, at the end of the round.
    """
    return draw_pair(messages, new, labels, ("heldout8", 20261211), ("heldout9", 20261212))


def draw_heldout1011(messages, new, labels) -> pd.DataFrame:
    """The heldout10 and heldout11 samples (issue 14, session 13), drawn before any rule changed.

    :func:`draw_pair` from the rules of commit 5c79f1a (226 unlabelled messages the rules
    call near_miss, 1,178 untiered with a ``SAFETY_WORDS`` word, no minor or serious one
    left): heldout10 (seed 20261213) for study, heldout11 (seed 20261214) measured once,
    with ``--final``, at the end of the round.
    """
    return draw_pair(messages, new, labels, ("heldout10", 20261213), ("heldout11", 20261214))


def draw_heldout1213(messages, new, labels) -> pd.DataFrame:
    """The heldout12 and heldout13 samples (issue 14, session 13), drawn before any rule changed.

    :func:`draw_pair` from the rules of commit 37c881d (after the session-13 round):
    heldout12 (seed 20261215) for study, heldout13 (seed 20261216) measured once, with
    ``--final``, at the end of the next round.
    """
    return draw_pair(messages, new, labels, ("heldout12", 20261215), ("heldout13", 20261216))


def draw_heldout1415(messages, new, labels) -> pd.DataFrame:
    """The heldout14 and heldout15 samples (issue 14, session 13), drawn after the second
    round, from the rules of commit f6c45ea: both measured once with ``--final``.
    """
    return draw_pair(messages, new, labels, ("heldout14", 20261217), ("heldout15", 20261218))


def draw_heldout1617(messages, new, labels) -> pd.DataFrame:
    """The heldout16 and heldout17 samples (issue 14, session 14), drawn from the rules
    of commit f6c45ea (unchanged since): both measured once with ``--final``, to measure
    the final rules on more fresh messages.
    """
    return draw_pair(messages, new, labels, ("heldout16", 20261219), ("heldout17", 20261220))


def draw_pair(messages, new, labels, study, final) -> pd.DataFrame:
    """Two fresh sets of at most ``HELDOUT89_SIZE`` messages, ``(name, seed)`` each.

    :func:`draw_fresh` leaving out every labelled message. Each set takes half of the
    unlabelled messages the rules call near_miss (at most half the set) and fills up with
    untiered messages holding a ``SAFETY_WORDS`` word; the second set leaves out the
    first too.
    """
    seen = set(zip(labels["file"], labels["留言编号"], strict=True))
    fresh = [(f, i) not in seen for f, i in zip(messages["file"], messages["id"], strict=True)]
    pool = int(((new == "near_miss") & np.array(fresh)).sum())
    n_tiered = min(pool // 2, HELDOUT89_SIZE // 2)
    quota = {"near_miss": n_tiered, "none": HELDOUT89_SIZE - n_tiered}
    first = draw_fresh(messages, new, labels, name=study[0], quota=quota, random_state=study[1])
    seen = pd.concat([labels[["file", "留言编号"]], first[["file", "留言编号"]]])
    second = draw_fresh(messages, new, seen, name=final[0], quota=quota, random_state=final[1])
    return pd.concat([first, second], ignore_index=True)


def scores(truth, pred, weight) -> dict:
    tiered = pred != "none"
    real = truth != "none"
    right = truth == pred

    def share(num, den):
        return float((weight * num * den).sum() / (weight * den).sum()) if den.any() else np.nan

    return {
        "precision": share(right, tiered),
        "recall": share(right, real),
        "precision_any_tier": share(real, tiered),
        "recall_any_tier": share(tiered, real),
        "tiered_labelled": int(tiered.sum()),
    }


def confusion(truth, pred) -> pd.DataFrame:
    table = pd.crosstab(
        pd.Categorical(truth, TIER_ORDER, ordered=True),
        pd.Categorical(pred, TIER_ORDER, ordered=True),
        rownames=["label"],
        colnames=["rules"],
        dropna=False,
    )
    return table.rename(columns={"none": "untiered"})


def on_311(realdata: Path) -> pd.DataFrame:
    from commlib.heinrich import severity_tiers

    counts = {}
    nyc = realdata / "nyc311_2026_sample" / "nyc311_sample.csv"
    if nyc.exists():
        raw = pd.read_csv(nyc, dtype=str)
        df = pd.DataFrame({"title": raw["complaint_type"], "text": raw["descriptor"]})
        counts["NYC 311 (10,000)"] = severity_tiers(df)
    boston = realdata / "boston311_2015"
    if boston.exists():
        cols = ["TYPE", "CASE_TITLE"]
        raw = pd.concat(
            [pd.read_csv(f, dtype=str, usecols=cols) for f in sorted(boston.glob("*.csv"))],
            ignore_index=True,
        )
        df = pd.DataFrame({"title": raw["TYPE"], "text": raw["CASE_TITLE"]})
        counts[f"Boston 311 2015 ({len(df):,})"] = severity_tiers(df)
    rows = []
    for name, out in counts.items():
        vc = out["tier"].astype(object).fillna("untiered").value_counts()
        rows.append({"data": name, **{k: int(vc.get(k, 0)) for k in [*TIER_ORDER[:3], "untiered"]}})
        top = (
            out.loc[out["tier"].notna()]
            .assign(what=lambda d: d["title"].fillna("") + " / " + d["text"].fillna(""))
            .groupby(["tier", "what"], observed=True)
            .size()
            .sort_values(ascending=False)
            .head(12)
        )
        print(f"\n{name}: commonest tiered (type / descriptor)")
        print(top.to_string())
    return pd.DataFrame(rows).set_index("data")


#: The fresh draws: ``--draw-<name>`` writes the ids of that sample to label.
DRAWS = (
    ("heldout2", draw_heldout2, "heldout2 sample to label"),
    ("heldout3", draw_heldout3, "heldout3 sample to label"),
    ("heldout45", draw_heldout45, "heldout4 and heldout5 samples"),
    ("heldout67", draw_heldout67, "heldout6 and heldout7 samples"),
    ("heldout89", draw_heldout89, "heldout8 and heldout9 samples"),
    ("heldout1011", draw_heldout1011, "heldout10 and heldout11 samples"),
    ("heldout1213", draw_heldout1213, "heldout12 and heldout13 samples"),
    ("heldout1415", draw_heldout1415, "heldout14 and heldout15 samples"),
    ("heldout1617", draw_heldout1617, "heldout16 and heldout17 samples"),
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(realdata_dir()))
    parser.add_argument("--draw", action="store_true", help="draw the sample to label")
    for name, _drawer, what in DRAWS:
        parser.add_argument(f"--draw-{name}", action="store_true", help=f"draw the {what}")
    parser.add_argument(
        "--final",
        action="store_true",
        help="also score heldout5, 7, 9, 11, 13, 14, 15, 16 and 17 (measure once, at the end of a round)",
    )
    parser.add_argument("--no-311", action="store_true")
    args = parser.parse_args(argv)
    realdata = Path(args.data)
    if not (realdata / "tipdm2020_messages").exists():
        raise SystemExit(f"{realdata}/tipdm2020_messages not found; pass --data.")
    messages = read_messages(realdata / "tipdm2020_messages")
    new, old, new_match, old_match = tiers_of(messages)
    print(f"{len(messages):,} real messages")
    print(
        pd.DataFrame({"old rules": old.value_counts(), "new rules": new.value_counts()})
        .reindex(TIER_ORDER)
        .fillna(0)
        .astype(int)
        .rename(index={"none": "untiered"})
        .to_string()
    )
    if args.draw:
        sample = draw(messages, new, old)
        sample.to_csv(LABELS.with_suffix(".todo.csv"), index=False)
        print(f"wrote {len(sample)} ids to {LABELS.with_suffix('.todo.csv')} (label them)")
        return
    labels = pd.read_csv(LABELS)
    # each fresh draw writes its ids to label (the sets keep their own seeds and quotas)
    for name, drawer, _what in DRAWS:
        if getattr(args, f"draw_{name}"):
            sample = drawer(messages, new, labels)
            out = LABELS.with_suffix(f".{name}.todo.csv")
            sample.to_csv(out, index=False)
            print(f"wrote {len(sample)} ids to {out} (label them)")
            return
    key = messages.assign(new=new, old=old)[["file", "id", "new", "old"]]
    lab = labels.merge(key, left_on=["file", "留言编号"], right_on=["file", "id"], how="left")
    if lab["new"].isna().any():
        raise SystemExit(f"{int(lab['new'].isna().sum())} labelled ids not in the data.")
    print(f"\n{len(lab)} hand-labelled messages: {lab['label'].value_counts().to_dict()}")
    sets = ("dev", "holdout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6")
    later = (
        "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13",
        "heldout14", "heldout15", "heldout16", "heldout17",
    )  # fmt: skip
    for part in (*sets, *later):
        sub = lab[lab["set"] == part]
        if sub.empty:
            continue
        if part in FINAL_SETS and not args.final:
            print(f"\n{part}: not scored (pass --final once, at the end of a round).")
            continue
        weight = (sub["stratum_size"] / sub["stratum_sampled"]).to_numpy()
        truth = sub["label"].to_numpy(dtype=object)
        table = pd.DataFrame(
            {
                name: scores(truth, sub[col].to_numpy(dtype=object), weight)
                for name, col in (("old rules", "old"), ("new rules", "new"))
            }
        ).T
        with pd.option_context(
            "display.precision", 3, "display.width", 160, "display.max_columns", 10
        ):
            print(f"\n{part} sample ({len(sub)} messages), weighted by the sampling design:")
            print(table)
        for name, col in (("old rules", "old"), ("new rules", "new")):
            print(f"\nconfusion, {part}, {name} (labelled messages, label in rows):")
            print(confusion(truth, sub[col].to_numpy(dtype=object)).to_string())
    if not args.no_311:
        print("\ntier counts on 311 data (new rules):")
        print(on_311(realdata).to_string())


if __name__ == "__main__":
    main()
