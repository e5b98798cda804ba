"""commlib: turn a neighbourhood's complaint tickets and work ledgers into decisions.

Import it as ``import commlib as cl``. Public functions are reachable from the top
level (``cl.read_tickets``, ``cl.clean_tickets``, ``cl.mask_pii``, ``cl.pareto_table``,
...), but each submodule loads only when first used, so ``import commlib`` stays fast
and does not pull in scikit-learn or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# public name -> submodule that defines it (loaded lazily on first attribute access)
_LAZY: dict[str, str] = {
    # errors and schema
    "CommlibError": "errors",
    "InputFileError": "errors",
    "MissingColumnsError": "errors",
    "CANONICAL_COLUMNS": "schema",
    "OPTIONAL_COLUMNS": "schema",
    # reading
    "read_tickets": "io",
    # cleaning
    "clean_tickets": "clean",
    "CleanResult": "clean",
    "normalize_text": "clean",
    "strip_boilerplate": "clean",
    "parse_dates": "clean",
    "map_categories": "clean",
    "drop_duplicate_tickets": "clean",
    "mark_repeat_calls": "clean",
    "add_address_key": "clean",
    "normalize_community": "clean",
    "address_key": "clean",
    "describe_rejections": "clean",
    "describe_log": "clean",
    # privacy
    "mask_pii": "privacy",
    "mask_pii_columns": "privacy",
    "find_pii": "privacy",
    "hash_identifier": "privacy",
    # pareto
    "pareto_table": "pareto",
    "pareto_table_from_counts": "pareto",
    "pareto_chart": "pareto",
    "compare_pareto": "pareto",
    "pareto_by": "pareto",
    "pareto_by_chart": "pareto",
    "compare_pareto_chart": "pareto",
    "describe_change": "pareto",
    "vital_few_test": "pareto",
    # plotting
    "use_chinese_font": "plotting",
    "set_theme": "plotting",
    # datasets
    "make_tickets": "datasets",
    "make_events": "datasets",
    "load_sample": "datasets",
    "write_sample": "datasets",
    # attribution and the Heinrich pyramid
    "link_sources": "attribution",
    "SourceLinks": "attribution",
    "source_timeline": "attribution",
    "extract_entities": "attribution",
    "entity_lexicon": "attribution",
    "place_aliases": "attribution",
    "problem_kinds": "attribution",
    "severity_tiers": "heinrich",
    "severity_rules": "heinrich",
    "heinrich_pyramid": "heinrich",
    "pyramid_chart": "heinrich",
    "near_miss_alerts": "heinrich",
    "backtest_alerts": "heinrich",
    "AlertResult": "heinrich",
    "BacktestResult": "heinrich",
    # hot issues, service levels and repeat callers, reply quality
    "hot_issues": "hotissues",
    "HotIssues": "hotissues",
    "extract_places": "hotissues",
    "service_levels": "service",
    "service_levels_chart": "service",
    "repeat_callers": "service",
    "working_days": "service",
    "CN_HOLIDAYS": "service",
    "reply_quality": "replies",
    "ReplyQuality": "replies",
    # the three lists and dispatch
    "read_ledger": "ledger",
    "validate_ledger": "ledger",
    "LedgerError": "ledger",
    "problems_from_tickets": "ledger",
    "match_needs": "matching",
    "NeedMatches": "matching",
    "TicketRouter": "dispatch",
    "dispatch_report": "dispatch",
    "DispatchReport": "dispatch",
    "plot_dispatch_confusion": "dispatch",
    "dispatch_confusion_chart": "dispatch",
    # the automatic report
    "build_report": "report",
    "Report": "report",
    "ReportSection": "report",
    "figure_png": "report",
    "check_no_personal_data": "report",
    "scan_outputs": "report",
    "ReportPrivacyError": "report",
    # trends, hotspots, shared themes, surveys (case studies)
    "share_trend": "trends",
    "ShareTrend": "trends",
    "ITSResult": "trends",
    "SharedThemes": "keyness",
    "wilson_interval": "survey",
    "rising_factors": "trends",
    "share_trend_chart": "trends",
    "share_trend_from_counts": "trends",
    "rising_factors_from_counts": "trends",
    "ticket_counts": "trends",
    "interrupted_time_series": "trends",
    "its_chart": "trends",
    "keyness": "keyness",
    "shared_themes": "keyness",
    "hour_weekday_table": "hotspots",
    "hour_weekday_heatmap": "hotspots",
    "street_profile": "hotspots",
    "street_profile_chart": "hotspots",
    "survey_summary": "survey",
    "survey_change": "survey",
    # project evaluation and training courses
    "weighted_satisfaction": "evaluation",
    "weight_sensitivity": "evaluation",
    "plot_weight_sensitivity": "evaluation",
    "weight_sensitivity_chart": "evaluation",
    "scorecard": "evaluation",
    "plot_scorecard": "evaluation",
    "scorecard_chart": "evaluation",
    "Scorecard": "evaluation",
    "DEFAULT_WEIGHTS": "evaluation",
    "find_overlaps": "courses",
    "threshold_curve": "courses",
    "plot_threshold_curve": "courses",
    "threshold_curve_chart": "courses",
    "OverlapResult": "courses",
    # Chinese text and clustering
    "Tokenizer": "text",
    "tokenize": "text",
    "tokenize_many": "text",
    "TicketClusterer": "cluster",
    "assign_themes": "cluster",
    "cluster_trends": "cluster",
    "plot_top_terms": "cluster",
    "plot_cluster_trends": "cluster",
    "top_terms_chart": "cluster",
    "cluster_trends_chart": "cluster",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str):
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'commlib' has no attribute {name!r}")
    module = importlib.import_module(f"commlib.{module_name}")
    value = getattr(module, name)
    globals()[name] = value  # cache: later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for editors and type checkers only
    from commlib.attribution import (  # noqa: F401
        SourceLinks,
        entity_lexicon,
        extract_entities,
        link_sources,
        place_aliases,
        problem_kinds,
        source_timeline,
    )
    from commlib.clean import (  # noqa: F401
        CleanResult,
        add_address_key,
        address_key,
        clean_tickets,
        describe_log,
        describe_rejections,
        drop_duplicate_tickets,
        map_categories,
        mark_repeat_calls,
        normalize_community,
        normalize_text,
        parse_dates,
        strip_boilerplate,
    )
    from commlib.cluster import (  # noqa: F401
        TicketClusterer,
        assign_themes,
        cluster_trends,
        cluster_trends_chart,
        plot_cluster_trends,
        plot_top_terms,
        top_terms_chart,
    )
    from commlib.courses import (  # noqa: F401
        OverlapResult,
        find_overlaps,
        plot_threshold_curve,
        threshold_curve,
        threshold_curve_chart,
    )
    from commlib.datasets import (  # noqa: F401
        load_sample,
        make_events,
        make_tickets,
        write_sample,
    )
    from commlib.dispatch import (  # noqa: F401
        DispatchReport,
        TicketRouter,
        dispatch_confusion_chart,
        dispatch_report,
        plot_dispatch_confusion,
    )
    from commlib.errors import (  # noqa: F401
        CommlibError,
        InputFileError,
        MissingColumnsError,
    )
    from commlib.evaluation import (  # noqa: F401
        DEFAULT_WEIGHTS,
        Scorecard,
        plot_scorecard,
        plot_weight_sensitivity,
        scorecard,
        scorecard_chart,
        weight_sensitivity,
        weight_sensitivity_chart,
        weighted_satisfaction,
    )
    from commlib.heinrich import (  # noqa: F401
        AlertResult,
        BacktestResult,
        backtest_alerts,
        heinrich_pyramid,
        near_miss_alerts,
        pyramid_chart,
        severity_rules,
        severity_tiers,
    )
    from commlib.hotissues import (  # noqa: F401
        HotIssues,
        extract_places,
        hot_issues,
    )
    from commlib.hotspots import (  # noqa: F401
        hour_weekday_heatmap,
        hour_weekday_table,
        street_profile,
        street_profile_chart,
    )
    from commlib.io import (  # noqa: F401
        read_tickets,
    )
    from commlib.keyness import (  # noqa: F401
        SharedThemes,
        keyness,
        shared_themes,
    )
    from commlib.ledger import (  # noqa: F401
        LedgerError,
        problems_from_tickets,
        read_ledger,
        validate_ledger,
    )
    from commlib.matching import (  # noqa: F401
        NeedMatches,
        match_needs,
    )
    from commlib.pareto import (  # noqa: F401
        compare_pareto,
        compare_pareto_chart,
        describe_change,
        pareto_by,
        pareto_by_chart,
        pareto_chart,
        pareto_table,
        pareto_table_from_counts,
        vital_few_test,
    )
    from commlib.plotting import (  # noqa: F401
        set_theme,
        use_chinese_font,
    )
    from commlib.privacy import (  # noqa: F401
        find_pii,
        hash_identifier,
        mask_pii,
        mask_pii_columns,
    )
    from commlib.replies import (  # noqa: F401
        ReplyQuality,
        reply_quality,
    )
    from commlib.report import (  # noqa: F401
        Report,
        ReportPrivacyError,
        ReportSection,
        build_report,
        check_no_personal_data,
        figure_png,
        scan_outputs,
    )
    from commlib.schema import (  # noqa: F401
        CANONICAL_COLUMNS,
        OPTIONAL_COLUMNS,
    )
    from commlib.service import (  # noqa: F401
        CN_HOLIDAYS,
        repeat_callers,
        service_levels,
        service_levels_chart,
        working_days,
    )
    from commlib.survey import (  # noqa: F401
        survey_change,
        survey_summary,
        wilson_interval,
    )
    from commlib.text import (  # noqa: F401
        Tokenizer,
        tokenize,
        tokenize_many,
    )
    from commlib.trends import (  # noqa: F401
        ITSResult,
        ShareTrend,
        interrupted_time_series,
        its_chart,
        rising_factors,
        rising_factors_from_counts,
        share_trend,
        share_trend_chart,
        share_trend_from_counts,
        ticket_counts,
    )
