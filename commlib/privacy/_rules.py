"""The regular-expression rules of :mod:`commlib.privacy`, in RE2/Python common syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: Kinds of personal data, in the order their rules run (e-mail first, because an
#: address such as ``13812345678@qq.com`` must not lose its local part to the phone
#: rule; ID before bank card, because both are long digit runs).
KINDS: tuple[str, ...] = (
    "email",
    "qq",
    "wechat",
    "id",
    "bank_card",
    "phone",
    "plate",
    "room",
    "name",
)

#: Placeholder written in place of each kind.
PLACEHOLDERS: dict[str, str] = {
    "email": "[邮箱]",
    "qq": "[QQ]",
    "wechat": "[微信]",
    "id": "[身份证]",
    "bank_card": "[银行卡]",
    "phone": "[电话]",
    "plate": "[车牌]",
    "room": "[房号]",
    "name": "[姓名]",
}

# A rule whose trailing boundary swallowed the leading boundary of the next item needs a
# second pass; trigger chains ("电话A、B、C") need one pass per item. Cap the passes.
_MAX_PASSES = 6

# ---------------------------------------------------------------------------------------
# Pattern building blocks. Written in the syntax RE2 and Python's re share: no
# look-arounds, no backreferences, no \d \w \s \b (pandas and RE2 treat them
# differently on non-ASCII text). "$" is rewritten to "\Z" for Python.
# ---------------------------------------------------------------------------------------
_D = "[0-9０-９]"  # a digit, half- or full-width
_ND_END = "([^0-9０-９]|$)"  # trailing boundary: not a digit, or the end
# leading boundary: not a digit or an ASCII letter, and not the decimal point of a number
# (the digits of 0.3597872879209927 are a fraction, not a card; RE2 has no look-behind, so
# a point is accepted only with the non-digit before it)
_LEAD = "(^[.．]|^|[^0-9０-９A-Za-z.．]|[^0-9０-９][.．])"
# a mobile number is masked whatever precedes it, as long as it is not a longer digit run
# or the fraction of a decimal number
_LEAD_MOBILE = "(^[.．]|^|[^0-9０-９.．]|[^0-9０-９][.．])"
_SEP = "[-－ 　]"  # separator inside a grouped number
_DASH = "[-－—–‐]"  # hyphen, full-width hyphen, em dash, en dash after an area code
_EXT = f"(?:(?:[-－]|转|分机){_D}{{1,5}})?"  # optional extension
# trailing boundary of a bare local number: not a digit, letter or unit (2023-2024年)
_UNIT_END = "([^0-9０-９A-Za-z元块万千百米平年月日次个户人号楼层室栋幢至到%％.．:/-]|$)"
_TRIGGER_SEP = "([：:为是、,，/或和及 　]{0,3})"  # between a trigger word and its number

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# upper or lower case: people type 湘a12345
_PLATE_LETTER = "[A-HJ-NP-Za-hj-np-z]"
_PLATE_CHAR = "[A-HJ-NP-Za-hj-np-z0-9０-９]"

_NAME_TRIGGERS = (
    "来电人",
    "联系人",
    "姓名",
    "报案人",
    "投诉人",
    "反映人",
    "举报人",
    "求助人",
    "当事人",
    "户名",
)
# Roles and relations written right before a full name (村民刘艳明, 校长伍敬云): followed by
# a surname from the unambiguous list only (业主方面, 居民区域 stay).
_ROLE_TRIGGERS = (
    "村民",
    "居民",
    "业主",
    "住户",
    "市民",
    "网友",
    "负责人",
    "申请人",
    "户主",
    "法人",
    "代表人",
    "校长",
    "局长",
    "厅长",
    "书记",
    "市长",
    "县长",
    "镇长",
    "村长",
    "院长",
    "所长",
    "科长",
    "处长",
    "部长",
    "主任",
    "经理",
    "老板",
    "同学",
    "司机",
    "民警",
    "夫妇",
    "夫妻",
    "丈夫",
    "妻子",
    "爱人",
    "儿子",
    "女儿",
    "父亲",
    "母亲",
    "本人",
    "我叫",
    "名叫",
)
# Official titles and roles kept after the mask: 胡书记 -> [姓名]书记, 伍敬云校长 -> [姓名]校长.
# 区长/行长 are left out (小区长期, 施行长期 would read as surname + title).
_OFFICIAL_TITLES = (
    "董事长",
    "总经理",
    "局长",
    "厅长",
    "书记",
    "市长",
    "县长",
    "镇长",
    "乡长",
    "村长",
    "省长",
    "校长",
    "院长",
    "所长",
    "科长",
    "处长",
    "部长",
    "主席",
    "队长",
    "站长",
    "组长",
    "老板",
    "同学",
    "律师",
    "警官",
    "护士",
    "教授",
    "大夫",
    "主任",
    "经理",
    "医生",
    "老师",
)
# Characters that end a place or an organisation, never a given name before a title:
# 党委书记, 杨家村长期, 支部书记, 屠宰场老板.
_ORG_CHARS = "台场委局厅部处科院校所队会办组站中心区市县省镇乡村街社司行店厂总副正常前原老新党支家湾坪山湖桥塘岭坡冲港园庄屯铺集路巷门楼城州某班目苑庭府湾"
# Longer titles first: "王老师傅" is 王 + 老师傅, not 王老师 + 傅.
_TITLES = (
    "老先生",
    "老师傅",
    "先生",
    "女士",
    "阿姨",
    "师傅",
    "老师",
    "小姐",
    "大爷",
    "阿婆",
    "大妈",
    "老伯",
    "经理",
    "主任",
    "医生",
)

# Surnames in the bundled list that are also everyday words right before a title or
# after a trigger ("这位女士", "由师傅处理", "维修师傅", "对门阿姨", "上课时老师"):
# left out, which costs a little recall on rare surnames and buys precision.
_AMBIGUOUS_SURNAMES = frozenset(
    "位由修门居花国来都那利信智展富原公元师司车宿解练计敬连官相和向时应全班楼乌母干衣但"
    "费明强斯印隆危战玉银亢幸奉植衡尧闭言汝暴冒寿巢"
    # 农 heads farm units before a title (农技站长, 农办主任, 农村老师): on the TipDM
    # corpus every 农 + title is one
    "农"
)
# Surnames that are also place words or everyday words in running text (A2区景蓉花苑,
# 县天华路天童美语, 业主房屋): not taken as the start of a name by the tagger step.
_NOT_RUNNING_SURNAME = frozenset(_AMBIGUOUS_SURNAMES | set("区路房街"))
# Surnames kept, but not after a character that makes a common word with them:
# 保安师傅, 语文老师, 班主任老师, 历史老师, 门卫阿姨, 水管师傅, 有关老师, 音乐老师,
# 对方女士, 导游先生, 上海阿姨, 现金.
_SURNAME_BLOCKED_AFTER: dict[str, str] = {
    "安": "保治公晏平",
    "文": "语英中人天日法德俄韩作课",
    "任": "主责科担信聘委选兼现历继离出就连上前首新留调专",
    "谢": "感多致答鸣酬道",
    "史": "历",
    "卫": "门保环后守",
    "管": "宿物城监主水高",
    "关": "有相海机",
    "乐": "音声快娱",
    # 区 ends a district before a title (经开区主任, A1区主任, 小区, 社区): a surname only
    # where no character or code is before it
    "区": "\u4e00-\u9fa5A-Za-z0-9０-９",
    "方": "对双各官警我他她甲乙",
    "游": "导旅网",
    "于": "由至在属等对关基处归",
    "金": "现奖押租资薪",
    "海": "上",
    "江": "长",
    "高": "最提",
    "成": "完变造",
    "常": "非经正日",
    # 厨房师傅, 机房师傅: a word ending in 房 before the title
    "房": "厨机库书病药票楼住营民",
}
# A name's second character cannot be one of these (they start the words that follow a
# name: 反映, 称, 表示, 家住, 电话...); its third character cannot be one of the longer
# list. So "联系人李明反映" masks 李明 and "来电人高度怀疑" masks nothing.
_NOT_2ND = (
    "先女阿师老称说讲反表来在于的电手联要投致及和与等向对认因为是今昨现所希请想已曾多"
    "本之也还又就都将把被让给从到上下里内外年日度层便面式烈时次经物楼号室路区镇街几"
    "浦汇行其该此这那每各整共自并但却而或即系烦"
)
# Kept short on purpose: a name whose last character is listed loses only that
# character's mask ("李建家" -> "[姓名]家"), a name cut after two characters.
_NOT_3RD = _NOT_2ND + "一二三两几家小邻业住户映诉求问打报拨机码栋门居委会部领人们个些位名"


def _not_cjk_or(chars: str) -> str:
    """A class matching one CJK ideograph that is not in ``chars``."""
    return "[^\\x00-\u4dff\u9fa6-\U0010ffff" + "".join(sorted(set(chars))) + "]"


@cache
def _surnames() -> tuple[tuple[str, ...], str]:
    """The bundled surname list: (double surnames, single surnames as one string)."""
    text = resources.files("commlib.resources").joinpath("chinese_surnames.txt")
    words = []
    for line in text.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    doubles = tuple(dict.fromkeys(w for w in words if len(w) == 2))
    singles = "".join(dict.fromkeys(w for w in words if len(w) == 1))
    return doubles, singles


@dataclass(frozen=True)
class _Rule:
    """One regular expression and its replacement; ``$`` means end of text."""

    kind: str
    pattern: str
    repl: str
    #: a cheaper pattern every text this rule changes matches, shared by neighbouring
    #: rules, so the column path can skip rows before trying the rule itself
    subgate: str | None = None

    @property
    def python_pattern(self) -> re.Pattern[str]:
        return _compile_python(self.pattern)


@cache
def _compile_python(pattern: str) -> re.Pattern[str]:
    # RE2 (without multi-line mode) matches "$" only at the very end; so does "\Z".
    return re.compile(pattern.replace("$", r"\Z"))


@cache
def _rules() -> tuple[_Rule, ...]:
    """Every masking rule, in the order they run."""
    ph = PLACEHOLDERS
    d = _D
    doubles, singles = _surnames()
    safe_singles = "".join(
        c for c in singles if c not in _AMBIGUOUS_SURNAMES and c not in _SURNAME_BLOCKED_AFTER
    )
    surname = "(?:" + "|".join(doubles) + "|[" + safe_singles + "])"
    titles = "(?:" + "|".join(_TITLES) + ")"
    title_words = "|".join(_TITLES)
    long_run = f"{d}{{15}}"  # every ID and ungrouped card number has 15 digits in a row
    # once mobiles are masked most rows have no long digit run left: re-check before the
    # landline rules
    still_numeric = _numeric_gate()
    # a given name before an official title: 1-2 characters, none that ends a place or an
    # organisation (党委书记, 杨家村长期), no count (肖两警官, 平两位书记: 两 and 几 name no one)
    given = _not_cjk_or(_NOT_2ND + _ORG_CHARS + "两几")
    # a one-character "given name" that makes a sector with the surname is an office:
    # 林业局长, 农业局长, 商业局长 (a two-character given name may end in 业: 王建业局长)
    # nor a numeral: 高三同学, 初二老师 are a school year
    given_one = _not_cjk_or(_NOT_2ND + _ORG_CHARS + "业" + "一二三四五六七八九十两几")
    official = "(?:副)?(?:" + "|".join(_OFFICIAL_TITLES) + ")"
    tel = "(?:TEL|Tel|tel|PHONE|Phone|phone|Mobile|mobile|MOB|Mob)"
    # an English personal name after Mr/Mrs/Ms/Dr: the word before the title is not a
    # capitalised word (Park Dr. Smith is a street)
    en_lead = "(^|[^A-Za-z ] ?|[^A-Za-z][a-z]+ |^[a-z]+ )"
    en_name = "[A-Z][A-Za-z'’-]+(?: [A-Z][A-Za-z'’-]+)?"
    # RE2 rewrites know \\1 to \\9 only: at most nine special surnames per rule.
    specials = list(_SURNAME_BLOCKED_AFTER.items())
    special_rules = tuple(
        _Rule(
            "name",
            "|".join(f"(^|[^{blocked}]){s}{titles}" for s, blocked in chunk),
            "".join(f"\\{i + 1}" for i in range(len(chunk))) + ph["name"],
            title_words,
        )
        for chunk in (specials[i : i + 9] for i in range(0, len(specials), 9))
    )
    trigger_surname = (
        "(?:" + "|".join(doubles) + "|[" + safe_singles + "".join(_SURNAME_BLOCKED_AFTER) + "])"
    )
    cjk2 = _not_cjk_or(_NOT_2ND)
    cjk3 = _not_cjk_or(_NOT_3RD)
    xid = "[0-9０-９XxＸｘ]"
    id18 = f"[1-9１-９]{d}{{5}}[12１２]{d}{{3}}[01０１]{d}[0-3０-３]{d}{{4}}{xid}"
    # written in groups: 430102 19900101 1234, 430102-1990-0101-1234
    id18_spaced = (
        f"[1-9１-９]{d}{{5}}[ 　-]{{1,2}}[12１２]{d}{{3}}[ 　-]?[01０１]{d}[ 　-]?[0-3０-３]{d}"
        f"[ 　-]{{1,2}}{d}{{3}}{xid}"
    )
    card_prefix = "(?:[6６][02０２]|[4４]" + d + "|[5５][1-5１-５]|[3３][4-7４-７]|[9９][45４５])"
    local = f"[2-9２-９]{d}{{2,3}}{_SEP}?{d}{{4}}"
    # "\\[电话\\]、" chains a second number onto one already masked: 电话A、B
    phone_triggers = "(电话|座机|联系方式|手机|号码|致电|拨打|回电|\\[电话\\][、/或和及])"
    mobile = f"[1１][3-9３-９]{d}{_SEP}?{d}{{4}}{_SEP}?{d}{{4}}"
    no_zero_pair = f"(?:[1-9１-９]{d}|{d}[1-9１-９])"
    return (
        _Rule(
            "email",
            "[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:[.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}",
            ph["email"],
        ),
        _Rule(
            "qq",
            f"(QQ号码|QQ号|QQ群|QQ|qq号码|qq号|qq群|qq|Qq|扣扣号|扣扣)([：:是为 　]{{0,3}})"
            f"[1-9１-９]{d}{{4,10}}{_ND_END}",
            f"\\1\\2{ph['qq']}\\3",
        ),
        _Rule(
            "wechat",
            "(微信号码|微信号|微信|WeChat|Wechat|wechat|WECHAT|weixin|VX|vx|Vx|wx|WX)"
            "([：:是为 　]{0,3})[A-Za-z][-_A-Za-z0-9]{5,19}([^-_A-Za-z0-9]|$)",
            f"\\1\\2{ph['wechat']}\\3",
        ),
        _Rule(
            "wechat",
            f"(微信号码|微信号|微信|WeChat|Wechat|wechat|WECHAT|weixin|VX|vx|wx|WX)"
            f"([：:是为 　]{{0,3}}){d}{{5,11}}{_ND_END}",
            f"\\1\\2{ph['wechat']}\\3",
        ),
        _Rule("id", f"{_LEAD}{id18}{_ND_END}", f"\\1{ph['id']}\\2", long_run),
        _Rule("id", f"{_LEAD}{id18_spaced}{_ND_END}", f"\\1{ph['id']}\\2"),
        _Rule(
            "id",
            f"(身份证号码|身份证号|身份证|证件号码|证件号){_TRIGGER_SEP}"
            f"(?:{d}{{17}}{xid}|{d}{{15}}){_ND_END}",
            f"\\1\\2{ph['id']}\\3",
            long_run,
        ),
        _Rule(
            "bank_card",
            f"{_LEAD}{card_prefix}{d}{{14,17}}{_ND_END}",
            f"\\1{ph['bank_card']}\\2",
            long_run,
        ),
        _Rule(
            "bank_card",
            f"(银行卡号|银行卡|储蓄卡|信用卡|卡号|银行账号|账号|帐号){_TRIGGER_SEP}{d}{{16,19}}{_ND_END}",
            f"\\1\\2{ph['bank_card']}\\3",
            long_run,
        ),
        _Rule(
            "bank_card",
            f"{_LEAD}{card_prefix}{d}{{2}}"
            f"(?:(?: {d}{{4}}){{3}}(?: ?{d}{{1,3}})?|(?:[-－]{d}{{4}}){{3}}(?:[-－]?{d}{{1,3}})?)"
            f"{_ND_END}",
            f"\\1{ph['bank_card']}\\2",
        ),
        _Rule(
            "phone",
            f"{_LEAD_MOBILE}(?:[+＋]|00|００)?(?:86|８６){_SEP}?{mobile}{_ND_END}",
            f"\\1{ph['phone']}\\2",
        ),
        _Rule("phone", f"{_LEAD_MOBILE}{mobile}{_ND_END}", f"\\1{ph['phone']}\\2"),
        _Rule(
            "phone",
            f"({tel}[:：.#]?[ 　]?)(?:[(（]?[0０]{d}{{2,3}}[)）]?{_DASH}?)?{local}{_EXT}{_ND_END}",
            f"\\1{ph['phone']}\\2",
            still_numeric,
        ),
        _Rule(
            "phone",
            f"{_LEAD}[0０][1-9１-９]{d}{{1,2}}{_DASH}{d}{{7,8}}{_EXT}{_ND_END}",
            f"\\1{ph['phone']}\\2",
            still_numeric,
        ),
        _Rule(
            "phone",
            f"{_LEAD}(?:[(（][0０]{d}{{2,3}}[)）]{_SEP}?|[0０][1-9１-９]{d}{{1,2}}(?:{_SEP}|{_DASH})?)"
            f"{local}{_EXT}{_ND_END}",
            f"\\1{ph['phone']}\\2",
            still_numeric,
        ),
        _Rule(
            "phone",
            f"{_LEAD}[48４８][0０][0０]{_SEP}?{d}{{3}}{_SEP}?{d}{{4}}{_ND_END}",
            f"\\1{ph['phone']}\\2",
            still_numeric,
        ),
        _Rule(
            "phone",
            f"{phone_triggers}{_TRIGGER_SEP}{local}{_EXT}{_UNIT_END}",
            f"\\1\\2{ph['phone']}\\3",
            still_numeric,
        ),
        _Rule(
            "phone",
            f"{_LEAD}(?:[(][2-9]{d}{{2}}[)] ?|[2-9]{d}{{2}}[-.]){d}{{3}}[-.]{d}{{4}}{_ND_END}",
            f"\\1{ph['phone']}\\2",
        ),
        _Rule(
            "phone",
            f"(^|[^0-9０-９A-Za-z.,:/号第至-])[3-9３-９]{d}{no_zero_pair}[-－]{d}{{2}}{no_zero_pair}"
            f"{_UNIT_END}",
            f"\\1{ph['phone']}\\2",
            still_numeric,
        ),
        _Rule(
            "plate",
            f"[{_PROVINCES}]{_PLATE_LETTER}[·・•.． 　-]?"
            f"(?:[DF]{_PLATE_CHAR}{{5}}|{d}{{5}}[DF]|{_PLATE_CHAR}{{4,5}}[A-HJ-NP-Za-hj-np-z0-9０-９挂学警港澳])"
            "([^A-Za-z0-9０-９]|$)",
            f"{ph['plate']}\\1",
        ),
        _Rule(
            "room",
            f"(^|[^0-9０-９A-Za-z]){d}{{2,4}}(?:[-－~～至到]{d}{{2,4}})?室",
            f"\\1{ph['room']}",
        ),
        _Rule(
            "room",
            # one separator and at most one space: "房间   209" with a run of spaces is a
            # table's next column (a theme named ...房间, then its count), not a room
            f"(房号|房间号|房间|门牌号)((?:[：:是为][ 　]{{0,2}}|[ 　])?){d}{{2,4}}{_ND_END}",
            f"\\1\\2{ph['room']}\\3",
        ),
        _Rule("name", f"{surname}{titles}", ph["name"], title_words),
        # 区长 is left out of the titles (小区长期, 景区长廊); a surname before it right
        # after a district, punctuation or the start is a district head: A1区周区长承诺
        _Rule(
            "name",
            f"(^|[区市县，。！？、：:；;（(“ 　]){surname}区长([^期远廊沙年效达度大江时久]|$)",
            f"\\1{ph['name']}区长\\2",
            "区长",
        ),
        # surnames listed before a shared title: 李、肖两警官, 王、张书记, 王和张两位书记
        # (和/与/及 only with a count: 维护和平王书记 is no list)
        *(
            _Rule(
                "name",
                f"{surname}({sep}){surname}([两二三四几]{count})((?:位|名)?{official})",
                f"{ph['name']}\\1{ph['name']}\\2\\3",
            )
            for sep, count in (("、", "?"), ("[和与及]", ""))
        ),
        _Rule(
            "name",
            f"{surname}(?:{given}{given}|{given_one})?({official})",
            f"{ph['name']}\\1",
        ),
        _Rule(
            "name",
            f"(^|[^A-Za-z])(Mr|Mrs|Ms|Miss|Mx|MR|MRS|MS|MISS)([.]? ){en_name}",
            f"\\1\\2\\3{ph['name']}",
        ),
        _Rule("name", f"{en_lead}(Dr)([.]? ){en_name}", f"\\1\\2\\3{ph['name']}"),
        *special_rules,
        _Rule(
            "name",
            f"({'|'.join(_NAME_TRIGGERS)})([：: 　为是]?){trigger_surname}{cjk2}{cjk3}?",
            f"\\1\\2{ph['name']}",
        ),
    )


#: What follows a publisher's starred name and is no given character: punctuation,
#: particles, prepositions, verbs of speech and motion, relations (黄*。, 朱**等人,
#: 杜*宝去, 王*林母子) ...
_AFTER_STARRED = (
    "的了和与及等在是就说讲称于向对把被从给也都又还已曾将会要去到来当母父夫妻兄弟姐妹儿女"
)
#: ... and titles and forms of address (张**科长, 李*书记, 王**先生).
_TITLE_STARTS = "科局处所长书主副总老先女同师"


@cache
def _placeholder_rules() -> tuple[_Rule, ...]:
    """Rules that turn a publisher's own placeholder into the typed one.

    Exports often come masked already, in the publisher's style: ``0000-00000000``,
    ``177××××1292``, ``4301**********1234``, ``电话：****``. These are not personal data;
    they are rewritten to ``[电话]``/``[身份证]`` so the text reads the same whoever
    masked it, and :func:`find_pii` does not flag them.
    """
    ph = PLACEHOLDERS
    d = _D
    star = "[*＊×xX]"
    phone_triggers = "(电话|座机|联系方式|手机|号码|致电|拨打|回电|TEL|Tel|tel)"
    # a name the publisher starred: a surname and one or two stars (three or more hold a
    # number's place: 微信*****)
    doubles, singles = _surnames()
    running = "".join(c for c in singles if c not in _NOT_RUNNING_SURNAME)
    surname_any = "(?:" + "|".join(doubles) + "|[" + running + "])"
    starred = surname_any + "[*＊]{1,2}"
    stop = f"([^*＊0-9０-９A-Za-z\u4e00-\u9fa5]|[{_AFTER_STARRED}]|$)"
    return (
        # the stars, then a title: 张**科长, 李*书记
        _Rule("name", f"{starred}([{_TITLE_STARTS}])", f"{ph['name']}\\1", "[*＊]"),
        # the given character, then punctuation or a particle: 廖*奥，, 王*林与
        _Rule("name", f"{starred}[\u4e00-\u9fa5]{stop}", f"{ph['name']}\\1", "[*＊]"),
        # the stars alone: 黄*。, 朱**等人, and before any other character (黄*退出: 退
        # starts a word, the stars are the given name)
        _Rule("name", f"{starred}{stop}", f"{ph['name']}\\1", "[*＊]"),
        _Rule("name", f"{starred}([\u4e00-\u9fa5])", f"{ph['name']}\\1", "[*＊]"),
        # the given name written XX by the publisher: 贺XX老师, 沈XX承包, 邹xx， (one X or
        # three are no name's place: 关于xxx)
        _Rule(
            "name",
            f"{surname_any}(?:XX|xx|××|ＸＸ)([^Xx×ＸA-Za-z0-9]|$)",
            f"{ph['name']}\\1",
            "XX|xx|××|ＸＸ",
        ),
        _Rule(
            "id",
            f"{_LEAD}{d}{{3,6}}[*＊×]{{8,11}}{d}{{3}}[0-9０-９Xx*＊×]{_ND_END}",
            f"\\1{ph['id']}\\2",
        ),
        _Rule(
            "id",
            f"(身份证号码|身份证号|身份证|证件号码|证件号){_TRIGGER_SEP}[0-9０-９Xx*＊×]*[*＊×]{{4,}}"
            f"[0-9０-９Xx*＊×]*",
            f"\\1\\2{ph['id']}",
        ),
        _Rule("phone", f"{_LEAD}[0０]{{3,4}}{_DASH}?[0０]{{7,8}}{_ND_END}", f"\\1{ph['phone']}\\2"),
        _Rule(
            "phone",
            f"{_LEAD_MOBILE}[1１][3-9３-９]{d}{star}{{4}}{d}{{4}}{_ND_END}",
            f"\\1{ph['phone']}\\2",
        ),
        _Rule(
            "phone",
            f"{phone_triggers}{_TRIGGER_SEP}[0-9０-９]*[*＊×]{{3,}}[0-9０-９]*",
            f"\\1\\2{ph['phone']}",
        ),
    )


def _numeric_gate() -> str:
    """Seven digits in a row or ``ddd-dddd``: every phone, ID and card number has it."""
    return f"{_D}{{7}}|{_D}{{3}}(?:{_SEP}|{_DASH}|[.]){_D}{{4}}"


def _gates() -> dict[str, str]:
    """Per kind, a cheap pattern every text that a rule of that kind changes matches.

    Each gate is a necessary condition of its rules (every numeric rule needs seven
    digits in a row or ``ddd-dddd``), so skipping the rows a gate rejects changes no
    result; it only saves the heavy patterns' time.
    """
    numeric = _numeric_gate()
    return {
        "email": "@",
        "id": numeric,
        "bank_card": numeric,
        "phone": numeric,
        "plate": f"[{_PROVINCES}]{_PLATE_LETTER}",
        "qq": "QQ|qq|Qq|扣扣",
        "wechat": "微信|[Ww]e[Cc]hat|WECHAT|weixin|[Vv][Xx]|wx|WX",
        "room": "室|房号|房间|门牌号",
        "name": "|".join(
            _TITLES
            + _NAME_TRIGGERS
            + _ROLE_TRIGGERS
            + _OFFICIAL_TITLES
            + ("区长", "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "MR", "MRS", "MS", "MISS")
        ),
    }


def _check_kinds(kinds) -> tuple[str, ...]:
    if kinds is None:
        return KINDS
    if isinstance(kinds, str):
        kinds = {kinds}
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(
            f"Unknown kind(s) {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(map(repr, KINDS))}."
        )
    return tuple(k for k in KINDS if k in kinds)
