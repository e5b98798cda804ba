"""Synthetic sample tables for the evaluation notebooks (every record invented).

``SAMPLES`` maps a sample name to (file name in ``data/sample/``, builder). A builder
takes no arguments and returns a DataFrame, deterministically; ``write_sample`` writes
it as UTF-8 CSV and ``load_sample(name)`` reads it back (or rebuilds it in memory).

Three tables:

- ``project_surveys``: residents' ratings (1-5) of the seven governance projects of the
  fictional 锦岚国际街区, with each respondent's stance at the start (反对 / 中立 /
  支持) and whether they were directly affected. Planted: 加装电梯协调 and 口袋公园 are
  loved by the residents who wanted them and much less by those who objected, so
  weighting objectors moves them down; 咖啡街木栈道 won over its objectors and moves
  up; 非机动车棚 has only four respondents.
- ``projects``: the seven projects' goals, dates, social worker, committee, indicator
  (baseline, target, actual) and residents mobilised (volunteers, 社区能人).
- ``training_courses``: 33 training courses from 25 units, with five groups of
  overlapping courses written in different words. Merging each group into its longest
  course removes 9 courses and 210 hours (the 宝山 figures of the source article).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

#: Seed of the survey sample.
SURVEY_SEED = 7

# project -> (committee, respondents per stance (反对, 中立, 支持), mean rating per stance,
#             share directly affected)
_PROJECTS: dict[str, tuple[str, tuple[int, int, int], tuple[float, float, float], float]] = {
    "快递驿站": ("锦岚苑居委会", (10, 22, 38), (4.3, 4.3, 4.5), 0.6),
    "咖啡街木栈道": ("云岭花园居委会", (26, 20, 16), (4.1, 3.9, 4.0), 0.7),
    "楼道堆物整治": ("枫林新村居委会", (14, 24, 22), (3.0, 3.1, 3.3), 0.8),
    "加装电梯协调": ("枫林新村居委会", (16, 10, 44), (2.6, 3.5, 4.7), 0.9),
    "垃圾分类": ("桂香小区居委会", (24, 30, 20), (2.7, 2.9, 3.1), 0.5),
    "口袋公园": ("桂香小区居委会", (12, 18, 40), (2.8, 4.0, 4.6), 0.5),
    "非机动车棚": ("锦岚苑居委会", (1, 1, 2), (3.0, 4.0, 4.5), 1.0),
}
_STANCES = ("反对", "中立", "支持")
# question -> offset from the respondent's overall level (some questions run harder)
_QUESTIONS = {"q_goal": 0.0, "q_problem": -0.2, "q_voice": 0.1, "q_overall": 0.0}


def make_project_surveys() -> pd.DataFrame:
    """Residents' survey of the seven projects (one row per respondent)."""
    rng = np.random.default_rng(SURVEY_SEED)
    rows = []
    rid = 0
    for p_i, (project, (committee, counts, means, affected)) in enumerate(_PROJECTS.items()):
        compound = committee.removesuffix("居委会")
        for stance, n, mu in zip(_STANCES, counts, means, strict=True):
            for _ in range(n):
                rid += 1
                level = mu + rng.normal(0, 0.55)
                row = {
                    "respondent_id": f"R{rid:04d}",
                    "project": project,
                    "compound": compound,
                    "stance": stance,
                    "directly_affected": bool(rng.random() < affected),
                }
                for q, off in _QUESTIONS.items():
                    row[q] = int(np.clip(np.rint(level + off + rng.normal(0, 0.45)), 1, 5))
                day = pd.Timestamp("2025-05-12") + pd.Timedelta(days=int(p_i + rng.integers(0, 5)))
                row["survey_date"] = day.strftime("%Y-%m-%d")
                rows.append(row)
    df = pd.DataFrame(rows)
    # a few residents skipped one question (as on paper forms)
    skip = rng.choice(len(df), size=6, replace=False)
    df["q_voice"] = df["q_voice"].astype("Int64")  # written as whole numbers and blanks
    df.loc[skip, "q_voice"] = pd.NA
    # shuffle into the order forms were keyed in, ids stay with their rows
    return df.sample(frac=1.0, random_state=SURVEY_SEED).reset_index(drop=True)


def make_projects() -> pd.DataFrame:
    """The seven projects: goals, dates, who led them, indicators, residents mobilised."""
    cols = [
        "project",
        "committee",
        "social_worker",
        "goal",
        "start_date",
        "end_date",
        "indicator",
        "baseline",
        "target",
        "actual",
        "volunteers",
        "talents",
        "talent_examples",
    ]
    rows = [
        (
            "快递驿站",
            "锦岚苑居委会",
            "社工A",
            "在废弃车库出入口建服务驿站，快递集中存放中转，减少大门口堆放和丢件",
            "2024-09-02",
            "2024-11-15",
            "每月快递类工单（张）",
            42,
            20,
            12,
            18,
            3,
            "物流公司站长；退休会计；楼组长",
        ),
        (
            "咖啡街木栈道",
            "云岭花园居委会",
            "社工B",
            "在咖啡街店铺一侧增设人行木栈道，解决外摆位造成的人车混行",
            "2024-05-06",
            "2024-12-20",
            "每月外摆位占道工单（张）",
            35,
            10,
            8,
            24,
            5,
            "建筑设计师；咖啡店主；灯光设计师；业委会主任；直播博主",
        ),
        (
            "楼道堆物整治",
            "枫林新村居委会",
            "社工C",
            "清理楼道堆物，消除消防隐患，建立楼组长巡查",
            "2024-03-11",
            "2024-08-30",
            "有堆物的楼道（个）",
            96,
            30,
            41,
            31,
            2,
            "退休消防员；楼组长",
        ),
        (
            "加装电梯协调",
            "枫林新村居委会",
            "社工D",
            "协调高低楼层居民意见，推动老楼加装电梯签约",
            "2024-04-01",
            "2025-03-31",
            "完成签约的门栋（个）",
            0,
            8,
            5,
            9,
            2,
            "退休工程师；律师",
        ),
        (
            "垃圾分类",
            "桂香小区居委会",
            "社工E",
            "定时定点投放，提高湿垃圾分出率",
            "2024-02-19",
            "2024-10-31",
            "湿垃圾分出率（%）",
            18,
            35,
            33,
            40,
            4,
            "环保社团负责人；小学老师；退休护士；楼组长",
        ),
        (
            "口袋公园",
            "桂香小区居委会",
            "社工E",
            "把闲置边角地改成口袋公园，增加老人和儿童的活动空间",
            "2024-06-17",
            "2025-01-20",
            "新增活动空间（平方米）",
            0,
            600,
            650,
            15,
            3,
            "园艺爱好者；景观设计师；广场舞领队",
        ),
        (
            "非机动车棚",
            "锦岚苑居委会",
            "社工A",
            "新建带充电桩的非机动车棚，消除飞线充电",
            "2025-01-06",
            "2025-04-30",
            "每月飞线充电工单（张）",
            14,
            3,
            6,
            4,
            1,
            "电工师傅",
        ),
    ]
    return pd.DataFrame(rows, columns=cols)


# (course_id, unit, title, syllabus, hours, audience). Overlap groups, written in
# different words: 安全 (4), 台账数据 (3), 矛盾调解 (3), 垃圾分类 (2), 为老服务 (2).
_COURSES = [
    # -- group: community safety (4 courses)
    (
        "区应急管理局",
        "社区安全隐患排查与应急处置",
        "居民区消防隐患排查方法；楼道堆物与电动自行车飞线充电的风险；"
        "突发事件应急预案编制；应急演练组织；疏散路线与应急物资管理。",
        40,
        "居村书记、社工",
    ),
    (
        "区消防救援支队",
        "居民区消防安全与火灾防范",
        "常见火灾成因；电动自行车飞线充电和楼道堆物的消防隐患；灭火器使用；"
        "消防应急预案；组织居民开展应急疏散演练；隐患排查记录与整改跟踪。",
        32,
        "社工、楼组长",
    ),
    (
        "街道平安办",
        "平安社区建设：隐患排查与应急演练",
        "平安社区考核要求；每月隐患排查清单（消防、燃气、堆物、飞线充电）；"
        "应急预案和应急演练；应急物资配置与台账。",
        24,
        "社工",
    ),
    (
        "区燃气管理所",
        "燃气及消防安全进社区",
        "燃气泄漏识别与应急处置；居民家庭消防隐患排查；楼道堆物和飞线充电隐患；"
        "入户排查与应急演练的组织方法。",
        16,
        "社工、网格员",
    ),
    # -- group: ledgers and data (3 courses)
    (
        "区大数据中心",
        "基层治理数字化平台与电子台账操作",
        "基层治理数字化平台登录与权限；电子台账录入；统计报表自动生成；"
        "通讯录导入；活动管理模块；数据共享与报表导出。",
        48,
        "居村工作人员",
    ),
    (
        "区民政局",
        "居村台账规范与报表填报",
        "居村工作台账的种类与规范；报表填报口径；数字化平台电子台账录入要求；"
        "统计报表的审核与报送；台账归档。",
        36,
        "居村书记、社工",
    ),
    (
        "街道党政办",
        "居村电子台账录入与数据报送",
        "数字化平台电子台账录入；工作记录和活动台账填写；统计报表报送时限；数据核对与常见错误。",
        24,
        "社工",
    ),
    # -- group: mediation of disputes (3 courses)
    (
        "区司法局",
        "人民调解实务",
        "人民调解的法律依据；邻里纠纷调解的程序与技巧；调解协议书制作；"
        "矛盾纠纷排查化解与调解台账。",
        40,
        "人民调解员、社工",
    ),
    (
        "区信访办",
        "信访矛盾化解与邻里纠纷调处",
        "信访事项受理；矛盾纠纷排查化解；邻里纠纷调解技巧；群众来访接待与情绪疏导。",
        24,
        "居村书记、社工",
    ),
    (
        "街道综治中心",
        "邻里矛盾纠纷调解技巧",
        "邻里纠纷常见类型（噪音、漏水、停车）；调解技巧与沟通方法；矛盾纠纷排查；调解记录与回访。",
        16,
        "社工、楼组长",
    ),
    # -- group: waste sorting (2 courses)
    (
        "区绿化市容局",
        "生活垃圾分类实务",
        "生活垃圾分类标准；湿垃圾分出率；定时定点投放；垃圾箱房管理；分类督导与宣传动员。",
        24,
        "社工、物业",
    ),
    (
        "街道城运中心",
        "垃圾分类督导员培训",
        "垃圾分类标准与常见误区；定时定点投放的督导方法；居民宣传动员；垃圾箱房巡查记录。",
        16,
        "志愿者、社工",
    ),
    # -- group: services for the elderly (2 courses)
    (
        "区老龄办",
        "为老服务政策与独居老人关爱",
        "养老服务政策；独居老人、高龄老人关爱走访；长者食堂与助餐服务；"
        "居家养老服务；老年人紧急呼叫。",
        32,
        "社工",
    ),
    (
        "区民政局",
        "社区养老服务与高龄独居老人走访",
        "社区养老服务体系；高龄独居老人定期走访；助餐服务与长者食堂；居家养老服务申请。",
        22,
        "社工、楼组长",
    ),
    # -- distinct courses
    (
        "区委组织部",
        "党建引领基层治理",
        "居民区党组织建设；区域化党建；党员志愿服务；楼组党建与党员联系群众。",
        16,
        "居村书记",
    ),
    (
        "街道城运中心",
        "网格化管理与联勤联动",
        "网格划分与网格员职责；联勤联动事项派单；执法部门协同处置流程；案件闭环。",
        16,
        "网格员、社工",
    ),
    (
        "区人社局",
        "就业援助与创业指导",
        "就业困难人员认定；公益性岗位；创业担保贷款；职业技能补贴；招聘会组织。",
        24,
        "社工",
    ),
    (
        "区卫健委",
        "家庭医生签约与慢病健康管理",
        "家庭医生签约服务；高血压、糖尿病健康管理；健康宣教讲座组织；社区卫生服务中心转介。",
        16,
        "社工",
    ),
    (
        "区卫健委",
        "传染病防控与公共卫生应急",
        "传染病报告；疫苗接种动员；公共卫生事件的信息报送与隔离点配合。",
        8,
        "社工",
    ),
    (
        "区医保局",
        "医疗保险政策与经办",
        "城乡居民医保参保登记；医保缴费；门诊大病与长护险申请；异地就医备案。",
        16,
        "社工",
    ),
    (
        "区房管局",
        "物业管理与业委会指导",
        "业委会组建与换届；业主大会议事规则；物业服务合同；维修资金使用；物业矛盾协调。",
        32,
        "居村书记、社工",
    ),
    (
        "区妇联",
        "妇女儿童权益保障与家庭教育",
        "反家庭暴力法；妇女儿童维权；家庭教育指导；儿童之家活动设计。",
        16,
        "社工、妇联执委",
    ),
    (
        "团区委",
        "青少年社会工作与暑期托管",
        "青少年成长需求；暑期爱心托管班组织；青年志愿者招募；社区青少年活动策划。",
        12,
        "社工",
    ),
    (
        "区残联",
        "残疾人服务与无障碍环境",
        "残疾人证办理；康复服务与辅具适配；阳光之家；无障碍设施改造申请。",
        12,
        "社工",
    ),
    (
        "区退役军人事务局",
        "退役军人服务站工作实务",
        "退役军人信息采集；优抚政策；服务站规范化建设；走访慰问。",
        8,
        "社工",
    ),
    (
        "区市场监管局",
        "食品安全与沿街商铺监管配合",
        "小餐饮食品安全要求；无证经营发现与上报；消费投诉处理；价格公示检查。",
        8,
        "社工、网格员",
    ),
    (
        "区公安分局",
        "反电诈宣传与治安防范",
        "电信网络诈骗常见手法；老年人防骗宣传；群租和出租屋治安管理；实有人口登记。",
        16,
        "社工、楼组长",
    ),
    (
        "街道党政办",
        "人口普查与统计调查",
        "统计调查的法律规定；入户登记方法；调查员选聘与培训；数据质量抽查。",
        8,
        "社工",
    ),
    (
        "区文明办",
        "文明实践站与志愿服务项目设计",
        "新时代文明实践站运行；志愿服务项目设计；志愿者招募激励；社区能人发掘。",
        16,
        "社工",
    ),
    (
        "区民政局",
        "社区项目管理与社工个案方法",
        "项目立项、预算与评估；需求调研方法；个案工作流程；小组工作设计；项目成果汇报。",
        32,
        "青年社工",
    ),
    (
        "区卫健委",
        "社工心理健康与压力疏导",
        "社工职业倦怠识别；情绪管理；危机个案的心理支持；同伴督导。",
        12,
        "社工",
    ),
    (
        "街道党政办",
        "居村档案整理与归档",
        "文书档案分类；照片与电子文件归档；档案保管期限；档案移交。",
        8,
        "居村工作人员",
    ),
    (
        "区应急管理局",
        "民防知识与防空警报",
        "防空警报信号识别；人防工程使用；民防宣传教育活动组织。",
        8,
        "社工",
    ),
]


def make_training_courses() -> pd.DataFrame:
    """33 district training courses for neighbourhood staff, from 25 units."""
    df = pd.DataFrame(_COURSES, columns=["unit", "title", "syllabus", "hours", "audience"])
    # keyed in by unit, as a district office would collect them
    order = df["unit"].map({u: i for i, u in enumerate(sorted(df["unit"].unique()))})
    df = df.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)
    df.insert(0, "course_id", [f"KC{i + 1:03d}" for i in range(len(df))])
    return df


SAMPLES: dict[str, tuple[str, Callable[[], pd.DataFrame]]] = {
    "project_surveys": ("project_surveys.csv", make_project_surveys),
    "projects": ("projects.csv", make_projects),
    "training_courses": ("training_courses.csv", make_training_courses),
}
