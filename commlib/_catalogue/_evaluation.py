"""Words of project evaluation (commlib.evaluation): notes and charts."""

MESSAGES = {
    "evaluation.note.zero_weight": {
        "zh": "所有受访者的权重都是 0，无法计算加权分",
        "en": "every respondent has weight 0: no weighted score",
    },
    "evaluation.note.one_respondent": {
        "zh": "只有 1 位受访者，无法估计置信区间",
        "en": "only 1 respondent: no confidence interval",
    },
    "evaluation.note.few_respondents": {
        "zh": "受访者少于 {n} 人，区间很宽，结论需谨慎",
        "en": "fewer than {n} respondents: the interval is wide, conclude with care",
    },
    "evaluation.weight_in_use": {"zh": "当前权重 {w}", "en": "weight in use {w}"},
    "evaluation.axis.weight_of": {
        "zh": "“{group}”居民的权重",
        "en": "weight of '{group}' respondents",
    },
    "evaluation.axis.rank": {"zh": "排名（1 为最好）", "en": "rank (1 = best)"},
    "evaluation.axis.score": {"zh": "加权满意度", "en": "weighted score"},
    "evaluation.title.sensitivity": {
        "zh": "权重变了，排名跟着变吗？",
        "en": "Does the ranking depend on the weights?",
    },
    "evaluation.column.score": {"zh": "居民加权满意度", "en": "weighted score"},
    "evaluation.column.score_mean": {"zh": "项目平均满意度", "en": "mean project score"},
    "evaluation.column.objectors_score": {"zh": "反对者打分", "en": "objectors' score"},
    "evaluation.column.objectors_score_mean": {"zh": "反对者打分", "en": "objectors' score"},
    "evaluation.column.goal_progress": {"zh": "目标完成度", "en": "goal progress"},
    "evaluation.column.goal_progress_mean": {"zh": "目标完成度", "en": "goal progress"},
    "evaluation.column.volunteers": {"zh": "志愿者", "en": "volunteers"},
    "evaluation.column.talents": {"zh": "社区能人", "en": "community talents"},
    "evaluation.column.projects": {"zh": "项目数", "en": "projects"},
    "evaluation.level.project": {"zh": "项目", "en": "project"},
    "evaluation.level.social_worker": {"zh": "社工", "en": "social worker"},
    "evaluation.level.committee": {"zh": "居委会", "en": "committee"},
    "evaluation.title.scorecard": {
        "zh": "{level}考核：多维度，不合成一个分",
        "en": "Scorecard by {level}",
    },
}
