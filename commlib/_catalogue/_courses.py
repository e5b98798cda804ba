"""Words of the course-overlap chart (commlib.courses)."""

MESSAGES = {
    "courses.axis.threshold": {"zh": "相似度阈值", "en": "similarity threshold"},
    "courses.axis.hours_saved": {"zh": "可缩减学时", "en": "hours saved"},
    "courses.axis.merged_away": {"zh": "归并掉的课程数", "en": "courses merged away"},
    "courses.chosen": {"zh": "选定阈值 {threshold}", "en": "chosen {threshold}"},
    "courses.title": {"zh": "阈值越高，归并越少", "en": "Higher threshold, fewer merges"},
}
