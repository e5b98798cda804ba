"""Trends over time: which factors are rising, and did an intervention change the course.

- :func:`share_trend` follows each category's share of the tickets period by period
  (per compound when ``group`` is given) and fits a trend to it: a binomial (logistic)
  regression of the share on time, with its odds ratio per period, a confidence
  interval and a p-value adjusted across all the categories tested (Holm). The test
  allows for overdispersion estimated from few periods (quasi-binomial with a t
  reference), for month-to-month memory (one AR(1) coefficient pooled across the
  categories inflates the slope variances) and, from two years of data, for the time
  of year.
  :func:`share_trend_chart` draws the shares with their fitted curves.
- :func:`rising_factors` keeps the significantly rising ones, largest rise first: the
  "影响因子呈上升趋势" a social worker looks for, found without naming any category.
- :func:`ticket_counts` counts tickets per period and category (a long table), and
  :func:`share_trend_from_counts` / :func:`rising_factors_from_counts` run the same
  statistics on such counts: the entry points :mod:`commlib.dask` shares, so a
  partitioned archive gives the same trends as one pandas frame.
- :func:`interrupted_time_series` measures an intervention: a segmented Poisson
  regression of the ticket count per week or month with a level change and a slope
  change at the event date, with Newey-West (HAC) standard errors so that
  overdispersion and autocorrelation do not make the effect look surer than it is;
  seasonal terms from two years of data (a warning below), and a placebo check: the
  share of dates without an intervention where the same model "finds" an effect.
  :func:`its_chart` draws the counts, the fitted course and the counterfactual.

Both models are generalised linear models fitted by statsmodels (``GLM`` with a
``Binomial`` or ``Poisson`` family); the Newey-West covariance is statsmodels'
``cov_type="HAC"``.
"""

from commlib.trends._its import ITSResult, interrupted_time_series, its_chart
from commlib.trends._share import (
    ShareTrend,
    rising_factors,
    rising_factors_from_counts,
    share_trend,
    share_trend_chart,
    share_trend_from_counts,
    ticket_counts,
)

__all__ = [
    "ShareTrend",
    "share_trend",
    "share_trend_chart",
    "rising_factors",
    "rising_factors_from_counts",
    "share_trend_from_counts",
    "ticket_counts",
    "ITSResult",
    "interrupted_time_series",
    "its_chart",
]
