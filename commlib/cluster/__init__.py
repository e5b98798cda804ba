"""Discover complaint themes in ticket text: TicketClusterer, theme trends and charts.

:class:`TicketClusterer` turns raw ticket texts into themes: sublinear TF-IDF over
commlib's tokenizer (Chinese words that keep 吵/臭/漏 and governance terms whole), LSA
(truncated SVD and row normalisation), then k-means. Each theme gets distinctive words
(class-based TF-IDF, as BERTopic computes them), representative tickets, a size and a
short automatic name. :func:`assign_themes` adds the themes to a ticket table so that
``pareto_table(df, by="theme")`` runs on them; :func:`cluster_trends` counts themes by
month and by community together. With ``n_clusters="auto"`` the number of themes is
chosen by the stability of k-means across subsamples; :func:`k_scores_chart` draws the
evidence.

The machinery lives in private modules: ``_estimator`` (the clusterer), ``_autok``
(choice of k), ``_terms`` (which words may name a theme), ``_tables`` and ``_charts``.
"""

from commlib.cluster._charts import (
    cluster_trends_chart,
    k_scores_chart,
    plot_cluster_trends,
    plot_top_terms,
    top_terms_chart,
)
from commlib.cluster._estimator import (
    AUTO_K_FIT_SAMPLES,
    LSA_FIT_SAMPLES,
    MINIBATCH_MIN_SAMPLES,
    TicketClusterer,
)
from commlib.cluster._tables import MISSING_GROUP, assign_themes, cluster_trends

__all__ = [
    "AUTO_K_FIT_SAMPLES",
    "LSA_FIT_SAMPLES",
    "MINIBATCH_MIN_SAMPLES",
    "MISSING_GROUP",
    "TicketClusterer",
    "assign_themes",
    "cluster_trends",
    "cluster_trends_chart",
    "k_scores_chart",
    "plot_cluster_trends",
    "plot_top_terms",
    "top_terms_chart",
]
