"""Heinrich's safety pyramid for complaint tickets, and early warning from near misses.

Heinrich counted about 1 serious injury for every 29 minor ones and 300 harmless near
misses; the point is to act on the near misses before the serious event. This module

- sorts tickets into tiers with a bundled, documented rule set in Chinese and English
  that says what happened to whom: an event word about a person, not negated in its
  clause, not in paperwork, claims, figures of speech or about animals and crops
  (:func:`severity_tiers`, :func:`severity_rules`, ``resources/severity_rules.csv``);
- counts the tiers and shows the *observed* ratio next to 1 : 29 : 300
  (:func:`heinrich_pyramid`, :func:`pyramid_chart`), overall or per building;
- flags places whose near misses rise beyond what their own history and their
  neighbourhood make likely (:func:`near_miss_alerts`);
- checks those alerts against serious events that followed (:func:`backtest_alerts`):
  were the places flagged before, how many weeks ahead, how many alerts were false.

Places are ``address_key`` values with compound-style and road-style keys of one
building merged (:func:`commlib.attribution.place_aliases`), so 枫林新村7号楼 and
青枫路350弄7号 count as one building.
"""

from commlib.heinrich._alerts import AlertResult, BacktestResult, backtest_alerts, near_miss_alerts
from commlib.heinrich._pyramid import heinrich_pyramid, pyramid_chart
from commlib.heinrich._tiers import HEINRICH_RATIO as HEINRICH_RATIO
from commlib.heinrich._tiers import TIERS, severity_rules, severity_tiers

__all__ = [
    "TIERS",
    "AlertResult",
    "BacktestResult",
    "backtest_alerts",
    "heinrich_pyramid",
    "near_miss_alerts",
    "pyramid_chart",
    "severity_rules",
    "severity_tiers",
]
