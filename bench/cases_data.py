"""The benchmark's cases: N wishes, micro-projects and suggestions in every state of the workflow, with the rows
that go with them, written in bulk over the deputies, congresses, places, stations and units that
`minsheng.demo.generator` made.

Deterministic: one `random.Random(seed)` draws everything in a fixed order, and every date is counted back from
today (the queues — due, overdue, late to assign — are relative to today, so the data is too).

What a case gets, by kind and state (the proportions are the `STORIES` weights):

- a lead deputy with an active seat in a city, county or town congress (city deputies weigh 3, county 1.5,
  town 1: city deputies file more), the congress of that seat, a place inside its region (a town or street,
  or one of its villages) and, for six wishes in ten and three other cases in ten, the town's station;
- a title and content made from the `TOPICS`, `MICRO_PROJECTS` and `WISHES` below and the place's name,
  and its `search_text` segmented exactly as `minsheng.cases.search.segment` does (rjieba, cached per
  phrase); co-signers (附议) of the same congress for a third of the suggestions;
- wishes: a beneficiary whose name, ID number, phone and address are Fernet-encrypted like
  EncryptedCharField does (`common.crypto.encrypt`), the household's blind index, and the home visit;
- assignments (主办, with 协办 for a quarter, 分办 for a tenth of the suggestions) to units of the congress
  (or, for a town congress, of the county above it) with the statutory deadlines of `cases.rules`; handling
  records, the assisting units' opinions, answers (A–D), the deputies' ratings, a second round after
  不满意, closing and publishing; priority supervision for a third of the overdue cases;
- seven wishes in ten that were accepted go on the wish wall: open, claimed (whole or in pledged shares),
  delivered, or realised with confirmed claims (and a follow-up visit for half of those);
- the audit trail of every step (what the case page's timeline reads).

Accounts: one per deputy with an active local seat (the deputy records, files and rates), one staff account
per congress (`bench_s<congress id>`), one handler per unit (`bench_h<unit id>`) and verified donors.

Writing: PostgreSQL gets COPY, from a second thread while the next chunk is being generated (two cores:
Python on one, the server on the other); SQLite gets executemany. Ids are given explicitly and the sequences
set afterwards. No index is dropped; every foreign key is checked (one transaction per chunk).
"""

from __future__ import annotations

import datetime as dt
import queue
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

SIZES = {"tiny": 2_000, "jiangmen": 50_000, "guangdong": 1_000_000}
CHUNK = 20_000
LEVEL_WEIGHT = {"city": 3.0, "county": 1.5, "township": 1.0}
# Kinds by the level of the lead deputy's congress: (wish, micro_project, suggestion).
KIND_WEIGHTS = {"city": (0.15, 0.10, 0.75), "county": (0.30, 0.15, 0.55), "township": (0.38, 0.17, 0.45)}
KINDS = ("wish", "micro_project", "suggestion")

Progress = Callable[[str], None]

# --- words -----------------------------------------------------------------------------------------------

# (topic of a suggestion, department of the lead unit, what people report, what the deputy asks)
TOPICS = [
    (
        "加快农村公路提质改造",
        "交通运输局",
        ["村道路面破损严重，雨天积水，群众出行不便", "通往镇区的道路狭窄，会车困难，存在安全隐患"],
        ["将该路段列入农村公路提质改造计划", "拓宽路面并增设错车道"],
    ),
    (
        "加强农村留守儿童关爱服务",
        "民政局",
        ["村里留守儿童较多，课后无人看护", "部分留守儿童心理问题突出，缺少专业辅导"],
        ["建立儿童之家并配备专职人员", "组织志愿者定期开展关爱活动"],
    ),
    (
        "完善居家养老服务体系",
        "民政局",
        ["辖区独居老人增多，日常照料和就医陪护困难", "长者饭堂覆盖不足，老人用餐不便"],
        ["扩大居家养老上门服务覆盖面", "在人口较多的村居增设长者饭堂"],
    ),
    (
        "增加城区公办学位供给",
        "教育局",
        ["城区学校大班额问题突出，学位紧张", "新建小区配套学校迟迟未建成"],
        ["加快新建和改扩建公办中小学", "督促开发商按期移交配套学校"],
    ),
    (
        "改善乡镇卫生院医疗条件",
        "卫生健康局",
        ["卫生院设备陈旧，群众看病要到城区", "乡镇医生流失严重，基层医疗服务能力不足"],
        ["更新卫生院诊疗设备", "落实基层医务人员待遇保障"],
    ),
    (
        "推进老旧小区改造",
        "住房和城乡建设局",
        ["小区楼龄超过三十年，管网老化，经常停水", "老旧小区没有电梯，老人上下楼困难"],
        ["将该小区纳入老旧小区改造计划", "支持有条件的楼栋加装电梯"],
    ),
    (
        "加大返乡创业扶持力度",
        "人力资源和社会保障局",
        ["返乡青年创业缺资金、缺场地", "创业补贴申请手续繁琐"],
        ["设立返乡创业孵化基地", "简化创业补贴申请流程"],
    ),
    (
        "加强农田水利设施建设",
        "农业农村局",
        ["灌溉渠道年久失修，渗漏严重", "排涝泵站老化，汛期农田受浸"],
        ["安排资金修缮灌溉渠道", "更新排涝泵站设备"],
    ),
    (
        "规范校外培训机构管理",
        "教育局",
        ["校外培训机构收费不透明，退费难", "部分培训机构消防条件不达标"],
        ["加强校外培训机构日常监管", "建立培训费用资金监管制度"],
    ),
    (
        "加强食品安全监管",
        "市场监督管理局",
        ["学校周边小摊贩食品卫生无保障", "农贸市场食品检测覆盖不足"],
        ["加大学校周边食品安全检查力度", "在农贸市场设立快检室"],
    ),
    (
        "保护和活化利用侨乡历史建筑",
        "住房和城乡建设局",
        ["碉楼和骑楼年久失修，部分已经倒塌", "历史建筑产权分散，保护责任不清"],
        ["设立历史建筑保护专项资金", "探索历史建筑活化利用模式"],
    ),
    (
        "完善农村生活垃圾收运体系",
        "农业农村局",
        ["村内垃圾收集点不足，垃圾清运不及时", "河涌沿岸垃圾堆积，影响环境"],
        ["增设垃圾收集点并落实日产日清", "建立河涌保洁长效机制"],
    ),
    (
        "提高特殊困难群体救助水平",
        "民政局",
        ["低保家庭因病致贫返贫现象仍然存在", "残疾人康复服务供给不足"],
        ["提高临时救助标准", "增加残疾人康复服务项目"],
    ),
    (
        "加强中小学心理健康教育",
        "教育局",
        ["学生心理问题日益增多，学校缺少心理教师", "家长对孩子心理健康关注不够"],
        ["每所学校配备专职心理教师", "开展家庭教育指导服务"],
    ),
    (
        "增设城区停车位",
        "住房和城乡建设局",
        ["城区停车难，车辆乱停乱放", "医院和学校周边停车位严重不足"],
        ["利用闲置地块建设公共停车场", "推进错时共享停车"],
    ),
    (
        "完善镇村路灯照明设施",
        "住房和城乡建设局",
        ["村道没有路灯，夜间出行不安全", "部分路灯损坏后长期无人维修"],
        ["在主要村道安装太阳能路灯", "明确路灯维护管理责任"],
    ),
    (
        "加强河涌水环境治理",
        "生态环境局",
        ["河涌水体发黑发臭，影响周边群众生活", "养殖尾水直排河涌"],
        ["开展河涌综合整治", "加强养殖尾水排放监管"],
    ),
    (
        "优化城乡公交线路",
        "交通运输局",
        ["偏远村庄不通公交，群众出行依靠摩托车", "公交班次少，候车时间长"],
        ["开通镇村公交线路", "增加高峰时段公交班次"],
    ),
    (
        "加快农村供水管网改造",
        "水务局",
        ["自来水水压不足，高层住户经常停水", "供水管网老化，水质浑浊"],
        ["改造老化供水管网", "推进城乡供水一体化"],
    ),
    (
        "加强交通安全设施建设",
        "公安局",
        ["学校门口没有斑马线和减速带", "国道穿村路段车速快，事故多发"],
        ["在学校周边设置交通安全设施", "在穿村路段增设限速标志和监控"],
    ),
    (
        "扶持特色农业产业发展",
        "农业农村局",
        ["柑橘种植户销售渠道单一，价格波动大", "农产品缺少冷链仓储设施"],
        ["支持建设农产品冷链仓储中心", "培育农产品区域公用品牌"],
    ),
    (
        "改善农村人居环境",
        "农业农村局",
        ["村内旱厕改造不彻底", "房前屋后杂物乱堆乱放"],
        ["推进农村厕所革命", "开展村庄清洁行动"],
    ),
    (
        "加强基层医疗卫生服务",
        "卫生健康局",
        ["村卫生站缺医少药", "慢性病患者随访管理不到位"],
        ["推进村卫生站标准化建设", "落实家庭医生签约服务"],
    ),
    (
        "加强燃气安全管理",
        "城市管理和综合执法局",
        ["餐饮场所瓶装燃气使用不规范", "老旧小区燃气管道存在安全隐患"],
        ["开展燃气安全专项整治", "推进老旧燃气管道更新改造"],
    ),
]
# (project, budget range in yuan, department of the lead unit; "" = the place's government)
MICRO_PROJECTS = [
    ("村道路灯安装", (30_000, 60_000), ""),
    ("村文化室修缮", (50_000, 90_000), ""),
    ("排水渠清淤改造", (80_000, 150_000), "农业农村局"),
    ("村口公交候车亭建设", (40_000, 80_000), "交通运输局"),
    ("长者饭堂设备购置", (60_000, 100_000), "民政局"),
    ("村篮球场翻新", (50_000, 90_000), ""),
    ("农村公厕改造", (70_000, 120_000), "农业农村局"),
    ("小学周边交通安全设施", (30_000, 70_000), "交通运输局"),
    ("河涌护栏加装", (60_000, 110_000), "住房和城乡建设局"),
    ("社区健身路径建设", (30_000, 50_000), ""),
    ("村道硬底化", (100_000, 280_000), "交通运输局"),
    ("垃圾分类收集点建设", (20_000, 60_000), ""),
    ("农村饮水管道改造", (80_000, 200_000), "水务局"),
    ("儿童之家设施配置", (30_000, 60_000), "民政局"),
]
# (item, category, value, group, the need in the deputy's words)
WISHES = [
    ("轮椅", "material", 380, "elderly_alone", "腿脚不便，出门就医困难，希望有一台轮椅"),
    ("助听器", "material", 480, "elderly_alone", "听力下降多年，与家人沟通困难，希望配一副助听器"),
    ("书桌和台灯", "material", 300, "child", "孩子一直在饭桌上写作业，光线昏暗，希望有一套书桌和台灯"),
    ("冬季棉被", "material", 200, "subsistence", "家中被褥单薄破旧，希望入冬前添置两床棉被"),
    ("电风扇", "material", 150, "subsistence", "夏天屋内闷热，老人患有高血压，希望有一台电风扇"),
    ("热水器", "material", 480, "disabled", "家中没有热水器，冬天洗澡困难，希望安装一台电热水器"),
    ("学习用品和书包", "material", 160, "child", "父母在外务工，孩子的书包已经破损，希望有新书包和文具"),
    ("电饭煲和炊具", "material", 220, "elderly_alone", "老人独自生活，炊具老化漏电，希望更换电饭煲和炊具"),
    ("电子血压计", "material", 180, "elderly_alone", "患高血压需每天测量，希望有一台电子血压计"),
    ("课业辅导", "service", 400, "child", "孩子成绩下滑，家中无人辅导，希望有志愿者每周上门辅导功课"),
    ("上门理发和陪伴", "service", 120, "elderly_alone", "老人行动不便，希望每月有人上门理发、聊天陪伴"),
    ("康复训练指导", "service", 450, "disabled", "肢体残疾需康复训练，希望有康复师上门指导"),
    ("儿童自行车", "material", 350, "child", "孩子上学路程较远，希望有一辆自行车"),
    ("小型冰箱", "material", 500, "subsistence", "家中没有冰箱，饭菜容易变质，希望有一台小冰箱"),
    ("卫生间防滑扶手", "service", 260, "elderly_alone", "老人曾在卫生间滑倒，希望安装防滑扶手和防滑垫"),
    ("校服和冬衣", "material", 240, "child", "孩子长得快，校服和冬衣都已不合身，希望添置新衣"),
    ("护理床", "material", 500, "disabled", "家人长期卧床，希望有一张护理床方便照料"),
    ("米面油", "material", 200, "subsistence", "家庭收入微薄，希望得到一些米面油等生活物资"),
]
GROUP_WORDS = {
    "elderly_alone": "独居老人",
    "child": "留守儿童",
    "subsistence": "低保家庭",
    "disabled": "残疾人",
    "other": "困难家庭",
}
GROUP_UNIT = {"child": "教育局", "disabled": "民政局", "elderly_alone": "民政局", "subsistence": "民政局"}
ANSWERS = {
    "A": "经研究，我单位高度重视代表提出的意见，已会同有关部门实地调研并制定方案，目前相关工作已落实完成。"
    "下一步我们将建立长效机制，巩固成效。",
    "B": "代表的建议符合实际，我单位已将其列入本年度工作计划，正在分步实施，预计年底前完成主要工作。",
    "C": "代表的建议很有意义，但受资金和用地条件限制，目前暂不具备全面实施的条件，将在下一阶段规划中统筹考虑。",
    "D": "代表的建议对我单位改进工作有重要参考价值，我们将认真研究吸收，在今后的工作中加以改进。",
}
CLASS_CODES, CLASS_CUM = ("A", "B", "C", "D"), (55, 85, 95, 100)
HANDLING_NOTES = [
    ("progress", "已组织人员到现场调查核实，正在制定处理方案。"),
    ("meeting", "与领衔代表当面沟通办理思路，代表表示认可。"),
    ("phone", "电话联系代表，通报办理进展。"),
    ("forum", "召开代表座谈会，听取代表对办理工作的意见。"),
]
OPINION = "我单位同意主办单位的办理意见，将在职责范围内积极配合落实。"
REFUSE_NOTES = {
    "out_of_remit": "所提事项不属于本级人大及其常委会职权范围。",
    "litigation": "所提事项已进入诉讼程序。",
    "petition": "所提事项属于信访事项，已转信访部门处理。",
    "personal": "所提事项属于代表个人事务。",
    "no_content": "内容过于笼统，没有具体意见。",
    "duplicate": "与已立案的建议重复。",
}
DISSATISFIED_COMMENTS = ["答复未解决实际问题，群众意见较大。", "办理单位没有与代表沟通，答复流于形式。"]
SATISFIED_COMMENTS = ["", "", "办理认真，沟通充分。", "问题已基本解决，群众满意。"]
DONOR_WORDS = ["爱心", "侨心", "恒信", "万和", "德兴", "永丰", "华盛", "嘉禾", "明德", "新宝"]
DONOR_TRADES = ["实业", "商贸", "电器", "食品", "建材", "物流", "科技", "农业"]

# The stories a case can have lived: (name, status, the event its age is counted from, (days since that event,
# from, to), weights for (wish, micro_project, suggestion)). Every other event is placed relative to those.
STORIES = [
    ("draft", "draft", "created", (0, 45), (2.5, 2.0, 2.5)),
    ("filed", "filed", "filed", (0, 4), (1.2, 1.5, 1.5)),
    ("returned", "returned", "filed", (3, 40), (0.5, 0.7, 0.8)),
    ("accepted", "accepted", "filed", (1, 6), (0.8, 0.8, 0.8)),
    ("late_assign", "accepted", "filed", (9, 30), (0.4, 0.6, 0.7)),
    ("refused", "refused", "created", (10, 1090), (3.0, 5.0, 4.0)),
    ("withdrawn", "withdrawn", "created", (10, 1090), (2.0, 1.5, 1.5)),
    ("assigned", "assigned", "assigned", (0, 85), (9.0, 10.0, 9.0)),
    ("overdue", "assigned", "assigned", (95, 420), (2.0, 3.0, 3.5)),
    ("answered", "answered", "answered", (1, 30), (3.0, 4.0, 4.0)),
    ("dissatisfied", "dissatisfied", "rated", (1, 20), (0.3, 0.6, 0.7)),
    ("round2", "assigned", "reassigned", (1, 25), (0.2, 0.5, 0.6)),
    ("closed", "closed", "created", (45, 1090), (64.0, 59.0, 60.0)),
    ("closed_round2", "closed", "created", (150, 1090), (1.0, 2.0, 2.5)),
    ("staff_closed", "closed", "created", (150, 1090), (0.3, 0.5, 0.6)),
]
# What a wish on the wall has come to while its case is still open: (state, weight).
OPEN_WALL_STATES = (("open", 45), ("claimed", 30), ("delivered", 10), ("realised", 15))


@dataclass
class CasesBuilt:
    count: int
    counts: dict[str, int]
    timings: dict[str, float]


# --- writing rows ------------------------------------------------------------------------------------------


class Writer:
    """Inserts plain tuples into a model's table: COPY on PostgreSQL (in a background thread, one transaction
    per chunk), executemany on SQLite (in this thread)."""

    def __init__(self):
        from django.db import connection

        self.vendor = connection.vendor
        self.threaded = self.vendor == "postgresql"
        self.rows_written: Counter = Counter()
        self.seconds = 0.0
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = None
        if self.threaded:
            self._thread = threading.Thread(target=self._run, name="bench-cases-writer", daemon=True)
            self._thread.start()

    def put(self, batch: list[tuple]) -> None:
        """One chunk: [(model, columns, rows), ...] in an order that satisfies the foreign keys."""
        if self._error:
            raise RuntimeError("writing the cases failed") from self._error
        if self.threaded:
            self._queue.put(batch)
        else:
            self._write(batch)

    def close(self) -> None:
        if self.threaded:
            self._queue.put(None)
            self._thread.join()
        if self._error:
            raise RuntimeError("writing the cases failed") from self._error

    def _run(self) -> None:
        from django.db import connection

        try:
            while True:
                batch = self._queue.get()
                if batch is None:
                    break
                if self._error is None:
                    self._write(batch)
        except BaseException as exc:  # noqa: BLE001 (handed to the main thread)
            self._error = exc
            while self._queue.get() is not None:  # let the producer finish
                pass
        finally:
            connection.close()

    def _write(self, batch) -> None:
        from django.db import connection, transaction

        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for model, columns, rows in batch:
                if not rows:
                    continue
                table = model._meta.db_table
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                if self.vendor == "postgresql":
                    with cursor.cursor.copy(
                        f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
                    ) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})",
                        [tuple(_sqlite_value(v) for v in row) for row in rows],
                    )
                self.rows_written[table] += len(rows)
        self.seconds += time.perf_counter() - start


def _sqlite_value(value):
    """What Django's SQLite backend stores: naive UTC text for datetimes, text for decimals."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(model, names: str) -> list[str]:
    """The model's columns by attname, checked against the model so a new field fails loudly here."""
    columns = names.split()
    concrete = {f.attname: f.column for f in model._meta.concrete_fields}
    unknown = [c for c in columns if c not in concrete]
    missing = [f.attname for f in model._meta.concrete_fields if f.attname not in columns and not f.null]
    if unknown or missing:
        raise RuntimeError(f"bench/cases_data.py is out of date for {model.__name__}: {unknown or missing}")
    return [concrete[c] for c in columns]


# --- dates -------------------------------------------------------------------------------------------------


@cache
def add_working_days(day: dt.date, days: int):
    """The working-day calendar's deadline (a `Deadline`: a date with `.provisional`)."""
    from minsheng.common.clock import working_deadline

    return working_deadline(day, days)


@cache
def add_months(day: dt.date, months: int) -> dt.date:
    from minsheng.cases.rules import add_months as months_later

    return months_later(day, months)


# --- the words of a case, segmented once per phrase --------------------------------------------------------


class Segmenter:
    """`search.segment`, with each phrase (the text between punctuation) cut once: the phrases repeat."""

    def __init__(self):
        import rjieba

        from minsheng.cases.search import _PUNCT

        self._cut = rjieba.cut_for_search
        self._split = _PUNCT.split
        self._cache: dict[str, list[str]] = {}

    def __call__(self, text: str) -> str:
        words: list[str] = []
        cache = self._cache
        for piece in self._split(text):
            if not piece:
                continue
            cut = cache.get(piece)
            if cut is None:
                cut = [w.lower() for w in self._cut(piece) if w.strip()]
                if len(cache) < 500_000:
                    cache[piece] = cut
            words.extend(cut)
        return " ".join(words)


# --- the world the cases live in -----------------------------------------------------------------------------


@dataclass
class CongressRef:
    id: int
    level: str
    code: str
    name: str
    parent_id: int | None
    townships: list[int] = field(default_factory=list)  # indexes into World.townships
    seats: list[int] = field(default_factory=list)  # deputy ids with an active seat
    units: dict[str, int] = field(default_factory=dict)  # department (or "gov") -> unit id
    all_units: list[int] = field(default_factory=list)
    staff: int = 0  # the staff account's user id


@dataclass
class TownshipRef:
    id: int
    code: str
    label: str  # 台山市海宴镇
    name: str
    villages: list[tuple[int, str]]  # (place id, 五丰村)
    station: int | None


class World:
    """What the cases refer to, read once from the database."""

    def __init__(self, region: str, progress: Progress):
        from django.db.models import Q

        from minsheng.congresses.models import Congress
        from minsheng.demo import vocab
        from minsheng.demo.generator import short_village_name
        from minsheng.deputies.models import Deputy, Seat
        from minsheng.places.models import Place
        from minsheng.stations.models import Station
        from minsheng.units.models import Unit

        rows = Congress.objects.filter(
            region_prefix__startswith=region, level__in=["city", "county", "township"]
        ).values_list("id", "level", "place__code", "name", "parent_id")
        self.congresses = {r[0]: CongressRef(*r) for r in sorted(rows)}
        by_code = {c.code: c for c in self.congresses.values()}

        places = Place.objects.filter(
            Q(code__startswith=region), Q(level__in=["city", "county", "township", "village"])
        ).values_list("id", "code", "name", "level", "kind", "parent_id")
        by_id = {p[0]: p for p in places}
        stations = dict(
            Station.objects.filter(kind="station", place__code__startswith=region).values_list(
                "place_id", "id"
            )
        )
        villages: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for pid, _code, name, level, kind, parent in sorted(places, key=lambda p: p[1]):
            if level == "village" and kind != "other":
                villages[parent].append((pid, short_village_name(name)))
        self.townships: list[TownshipRef] = []
        for pid, code, name, level, kind, parent in sorted(places, key=lambda p: p[1]):
            if level != "township" or kind not in ("town", "township", "street"):
                continue
            above = by_id.get(parent)
            label = (above[2] if above and above[3] == "county" else "") + name
            self.townships.append(
                TownshipRef(pid, code, label, name, villages.get(pid, []), stations.get(pid))
            )
        for i, township in enumerate(self.townships):
            # The town's own congress, its county's and its city's (in 东莞 and 中山 the county is the city).
            codes = dict.fromkeys((township.code, township.code[:6], township.code[:4] + "00"))
            for code in codes:
                if code in by_code:
                    by_code[code].townships.append(i)

        departments = sorted(
            set(vocab.CITY_DEPARTMENTS) | set(vocab.COUNTY_DEPARTMENTS), key=len, reverse=True
        )
        for uid, name, kind, congress_id in (
            Unit.objects.filter(congress_id__in=self.congresses, is_active=True)
            .order_by("id")
            .values_list("id", "name", "kind", "congress_id")
        ):
            congress = self.congresses[congress_id]
            congress.all_units.append(uid)
            if kind == "government":
                congress.units.setdefault("gov", uid)
            elif kind == "department":
                dept = next((d for d in departments if name.endswith(d)), None)
                if dept:
                    congress.units.setdefault(dept, uid)

        for deputy_id, congress_id in (
            Seat.objects.filter(status="active", congress_id__in=self.congresses)
            .order_by("id")
            .values_list("deputy_id", "congress_id")
            .iterator(chunk_size=20_000)
        ):
            self.congresses[congress_id].seats.append(deputy_id)
        self.active = [c for c in self.congresses.values() if c.seats and c.townships and c.all_units]
        deputy_ids = {d for c in self.active for d in c.seats}
        self.deputy_names = dict(Deputy.objects.values_list("id", "name").iterator(chunk_size=20_000))
        progress(
            f"  cases' world: {len(self.active)} congresses with deputies, {len(deputy_ids)} deputies, "
            f"{len(self.townships)} towns and streets"
        )

    def unit_for(self, congress: CongressRef, dept: str, rng: random.Random) -> int:
        """The unit a case of `congress` about `dept` goes to: the congress's department, else its government;
        half of a town congress's department cases go to the county's department."""
        if (
            congress.level == "township"
            and dept
            and congress.parent_id in self.congresses
            and rng.random() < 0.5
        ):
            above = self.congresses[congress.parent_id]
            if dept in above.units:
                return above.units[dept]
        return congress.units.get(dept) or congress.units.get("gov") or congress.all_units[0]


# --- accounts ------------------------------------------------------------------------------------------------


def create_accounts(world: World, rng: random.Random, *, donors: int, progress: Progress) -> dict:
    """Deputies', staff, handlers' and donors' accounts (unusable passwords: the benchmark signs in with
    force_login). Returns {"deputy": {deputy id: user id}, "staff": {congress id: ...}, "handler": {unit id:
    ...}, "donors": [user ids]}."""
    from django.utils import timezone

    from minsheng.accounts.models import DonorProfile, User

    now = timezone.now()
    taken = set(User.objects.filter(deputy_id__isnull=False).values_list("deputy_id", flat=True))
    users = []
    deputies = sorted({d for c in world.active for d in c.seats} - taken)
    for d in deputies:
        users.append(
            User(
                username=f"bench_d{d}",
                role="deputy",
                deputy_id=d,
                display_name=world.deputy_names.get(d, ""),
                password="!",
            )
        )
    for c in world.active:
        users.append(
            User(
                username=f"bench_s{c.id}",
                role="congress_staff",
                congress_id=c.id,
                display_name=f"{c.name}工作人员",
                password="!",
            )
        )
    unit_ids = sorted({u for c in world.active for u in c.all_units})
    for u in unit_ids:
        users.append(
            User(
                username=f"bench_h{u}", role="unit_handler", unit_id=u, display_name=_name(rng), password="!"
            )
        )
    donor_users = [
        User(username=f"bench_donor{i}", role="donor", display_name=_donor_name(rng, i), password="!")
        for i in range(donors)
    ]
    users += donor_users
    for user in users:
        user.date_joined = now
    User.objects.bulk_create(users, batch_size=5000)
    ids = dict(User.objects.filter(username__startswith="bench_").values_list("username", "id"))
    reviewer = ids[f"bench_s{world.active[0].id}"]
    DonorProfile.objects.bulk_create(
        [
            DonorProfile(
                user_id=ids[u.username],
                kind="enterprise" if i % 4 else "individual",
                name=u.display_name,
                credit_code=f"9144{i:014d}" if i % 4 else "",
                contact_name=_name(rng),
                status="verified",
                reviewed_by_id=reviewer,
                reviewed_at=now,
            )
            for i, u in enumerate(donor_users)
        ],
        batch_size=5000,
    )
    progress(
        f"  accounts: {len(users)} ({len(deputies)} deputies, {len(unit_ids)} handlers, {donors} donors)"
    )
    return {
        "deputy": {d: ids[f"bench_d{d}"] for d in deputies}
        | dict(User.objects.filter(deputy_id__in=taken).values_list("deputy_id", "id")),
        "staff": {c.id: ids[f"bench_s{c.id}"] for c in world.active},
        "handler": {u: ids[f"bench_h{u}"] for u in unit_ids},
        "donors": [ids[u.username] for u in donor_users],
    }


@cache
def _name_parts():
    from minsheng.demo import vocab

    surnames = [s for s, _w in vocab.SURNAMES]
    return surnames, _accumulate(w for _s, w in vocab.SURNAMES), vocab.GIVEN_FEMALE, vocab.GIVEN_MALE


def _name(rng: random.Random) -> str:
    surnames, cum, female, male = _name_parts()
    surname = surnames[_pick(cum, rng.random() * cum[-1])]
    chars = female if rng.random() < 0.5 else male
    return surname + "".join(rng.choice(chars) for _ in range(1 if rng.random() < 0.25 else 2))


def _donor_name(rng: random.Random, i: int) -> str:
    if i % 4 == 0:
        return _name(rng)
    return f"广东{rng.choice(DONOR_WORDS)}{rng.choice(DONOR_TRADES)}有限公司第{i}分公司"


# --- the cases ------------------------------------------------------------------------------------------------


class CaseFactory:
    """Plans the rows of one case after another (a chunk at a time) from one random generator."""

    def __init__(self, world: World, accounts: dict, rng: random.Random, *, next_ids: dict[str, int]):
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from minsheng.cases.models import Case
        from minsheng.common.crypto import blind_index, encrypt
        from minsheng.common.idcard import with_check_digit

        self.world, self.accounts, self.rng = world, accounts, rng
        self.ids = dict(next_ids)
        self.now = timezone.localtime()
        self.today = self.now.date()
        self.case_type = ContentType.objects.get_for_model(Case).pk
        self.segment = Segmenter()
        self.encrypt, self.blind_index, self.with_check_digit = encrypt, blind_index, with_check_digit
        self.counts: Counter = Counter()
        # Lead seats, weighted by level.
        self.seats: list[tuple[int, int]] = []  # (deputy id, index into world.active)
        cum, total = [], 0.0
        for i, congress in enumerate(world.active):
            for deputy_id in congress.seats:
                total += LEVEL_WEIGHT[congress.level]
                self.seats.append((deputy_id, i))
                cum.append(total)
        self.seat_cum = cum
        self.story_cum = {}
        for k, kind in enumerate(KINDS):
            acc, out = 0.0, []
            for story in STORIES:
                acc += story[4][k]
                out.append(acc)
            self.story_cum[kind] = out
        self.wall_cum = list(_accumulate(w for _s, w in OPEN_WALL_STATES))

    def new_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    # One chunk of cases: the rows of every table.
    def chunk(self, n: int) -> dict[str, list[tuple]]:
        rows: dict[str, list[tuple]] = defaultdict(list)
        rng = self.rng
        picks = rng.choices(self.seats, cum_weights=self.seat_cum, k=n)
        for deputy_id, congress_index in picks:
            self._case(rows, deputy_id, self.world.active[congress_index])
        return rows

    def _case(self, rows, lead: int, congress: CongressRef) -> None:
        rng, world = self.rng, self.world
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS[congress.level])[0]
        story = STORIES[_pick(self.story_cum[kind], rng.random() * self.story_cum[kind][-1])]
        name, status, anchor, (since_lo, since_hi), _w = story
        cid = self.new_id("case")
        township = world.townships[rng.choice(congress.townships)]
        if congress.level == "township" or rng.random() < 0.6:
            village = rng.choice(township.villages) if township.villages and rng.random() < 0.75 else None
        else:
            village = None
        place_id = village[0] if village else township.id
        place_label = township.label + (village[1] if village else "")
        station = (
            township.station if township.station and rng.random() < (0.6 if kind == "wish" else 0.3) else None
        )

        # What it is about.
        category, amount, group, public_summary, wish = "", None, "", "", None
        if kind == "suggestion":
            topic, dept, problems, asks = rng.choice(TOPICS)
            title = f"关于{township.name if rng.random() < 0.5 else ''}{topic}的建议"
            content = f"{place_label}，群众反映：{rng.choice(problems)}。建议{rng.choice(asks)}。"
        elif kind == "micro_project":
            project, (lo, hi), dept = rng.choice(MICRO_PROJECTS)
            title = f"{township.name}{village[1] if village else ''}{project}"
            amount = Decimal(rng.randrange(lo, hi, 1000))
            content = f"{place_label}，{project}：群众多次反映，项目预算约{amount}元，由政府组织实施。"
        else:
            wish = rng.choice(WISHES)
            item, category, value, group, need = wish
            dept = (
                GROUP_UNIT.get(group, "民政局") if congress.level != "township" or rng.random() < 0.4 else ""
            )
            amount = Decimal(max(50, value - rng.randrange(0, 60, 10)))
            title = f"{GROUP_WORDS[group]}的微心愿：{item}"
            content = f"{place_label}，{GROUP_WORDS[group]}：{need}。"
            public_summary = f"{township.name}{GROUP_WORDS[group]}希望得到{item}"
        unit = world.unit_for(congress, dept, rng)

        # When things happened, in days after it was recorded.
        t: dict[str, float] = {"created": 0.0}
        x = 0.0
        if kind == "wish" and (name != "draft" or rng.random() < 0.4):
            x += rng.uniform(1, 4)
            t["verified"] = x
        if name != "draft":
            x += rng.uniform(0.1, 2)
            t["filed"] = x
        staff = self.accounts["staff"][congress.id]
        lead_user = self.accounts["deputy"].get(lead)
        hard = name not in ("overdue",) and rng.random() < 0.1
        refuse_reason = status_note = ""
        if name == "refused":
            x += rng.uniform(1, 3)
            t["refused"] = x
            refuse_reason = rng.choice(list(REFUSE_NOTES))
            status_note = REFUSE_NOTES[refuse_reason]
        elif name == "returned":
            x += rng.uniform(1, 3)
            t["returned"] = x
            status_note = "请补充具体的问题情况和建议措施。"
        elif name == "withdrawn":
            if rng.random() < 0.5:
                x += rng.uniform(0.5, 3)
                t["accepted"] = x
            x += rng.uniform(1, 20)
            t["withdrawn"] = x
        elif name not in ("draft", "filed"):
            x += rng.uniform(0.5, 1.5 if name != "late_assign" else 3)
            t["accepted"] = x
        on_wall = kind == "wish" and "accepted" in t and name not in ("withdrawn",) and rng.random() < 0.7
        reaches_assign = status in ("assigned", "answered", "dissatisfied", "closed")
        if reaches_assign:
            x += rng.uniform(1, 4)
            t["assigned"] = x
            t["ack"] = x + rng.uniform(0.2, 3)
        # The wall: claims, delivery, realisation.
        wall_state = ""
        if on_wall:
            t["wall"] = t["accepted"] + rng.uniform(0.3, 3)
            if status == "closed" or "answered" in _events_after(name):
                wall_state = "realised"
            else:
                wall_state = OPEN_WALL_STATES[_pick(self.wall_cum, rng.random() * self.wall_cum[-1])][0]
            w = t["wall"]
            if wall_state != "open":
                w += rng.uniform(1, 20)
                t["claim"] = w
                if wall_state in ("delivered", "realised"):
                    w += rng.uniform(2, 15)
                    t["delivered"] = w
                if wall_state == "realised":
                    w += rng.uniform(0.5, 4)
                    t["realised"] = w
        answer_due = None
        rounds = 1
        if status in ("answered", "dissatisfied", "closed") or name == "round2":
            if rng.random() < 0.1:  # answered late: past the 3 (or 6) months
                x = max(x, t["assigned"]) + (182 if hard else 91) + rng.uniform(1, 30)
            else:
                x = max(x, t["assigned"]) + rng.uniform(15, 85)
            if "realised" in t:
                x = max(x, t["realised"] + rng.uniform(1, 10))
            t["answered"] = x
            if name != "answered":
                x += rng.uniform(2, 20)
                t["rated"] = x
            if name in ("round2", "closed_round2"):
                rounds = 2
                x += rng.uniform(3, 10)
                t["reassigned"] = x
                t["ack2"] = x + rng.uniform(0.2, 3)
                if name == "closed_round2":
                    x += rng.uniform(8, 30)
                    t["answered2"] = x
                    x += rng.uniform(2, 15)
                    t["rated2"] = x
            if name == "staff_closed":
                x += rng.uniform(3, 15)
                t["staff_closed"] = x
            if status == "closed":
                t["closed"] = x
        last = max(t.values())
        since = rng.uniform(since_lo, since_hi)
        age = max(t.get(anchor, 0.0) + since, last + 0.05)
        created = self.now - dt.timedelta(days=age)
        self.limit = age - 0.01  # no event after now

        def at(event: str) -> dt.datetime:
            return created + dt.timedelta(days=t[event])

        def date_of(event: str) -> dt.date:
            return at(event).date()

        # The published answer of a closed case: most, a while after closing.
        if "closed" in t:
            closed_ago = age - t["closed"]
            if closed_ago > 30 and rng.random() < 0.85 or closed_ago > 5 and rng.random() < 0.2:
                t["published"] = t["closed"] + rng.uniform(3, min(25, closed_ago - 0.1))

        # Rows ----------------------------------------------------------------------------------------------
        number = f"{date_of('filed').year}{'WMS'[KINDS.index(kind)]}{cid:07d}" if "filed" in t else None
        assign_due = add_working_days(date_of("filed"), 5) if "filed" in t else None
        if reaches_assign:
            answer_due = add_months(date_of("assigned"), 6 if hard else 3)
        if rounds == 2:
            answer_due = add_months(date_of("reassigned"), 1)
        overdue = status == "assigned" and answer_due is not None and answer_due < self.today
        priority = (overdue and rng.random() < 0.35) or (status == "assigned" and rng.random() < 0.03)
        case_status = status
        audit = rows["audit"]
        repr_ = f"{number or ''} {title}"[:255]

        def log(event: str, verb: str, actor: int | None, when: float | None = None) -> None:
            moment = created + dt.timedelta(days=t[event] if when is None else when)
            audit.append((self.new_id("audit"), moment, actor, verb, self.case_type, str(cid), repr_, "{}"))

        log("created", "case.created", lead_user)
        cosigners: list[int] = []
        if kind == "suggestion" and rng.random() < 0.35 and len(congress.seats) > 2:
            cosigners = [
                d
                for d in rng.sample(congress.seats, min(len(congress.seats) - 1, rng.randint(1, 4)))
                if d != lead
            ]
        if kind == "wish":
            self._beneficiary(rows, cid, wish, township, village, place_label)
        if "verified" in t:
            rows["verification"].append(
                (
                    self.new_id("verification"),
                    cid,
                    date_of("verified"),
                    "村委会干部、人大代表",
                    "入户核实，情况属实。",
                    True,
                    staff,
                    at("verified"),
                )
            )
            log("verified", "case.verified", staff)
        if "filed" in t:
            log("filed", "case.filed", lead_user)
            for d in cosigners:
                rows["cosigner"].append(
                    (self.new_id("cosigner"), cid, d, at("filed"), "confirmed", at("filed"))
                )
        for event, verb in (
            ("accepted", "case.accepted"),
            ("refused", "case.refused"),
            ("returned", "case.returned"),
        ):
            if event in t:
                log(event, verb, staff)
        if "withdrawn" in t:
            log("withdrawn", "case.withdrawn", lead_user)

        # Assignments, handling and answers, round by round.
        if reaches_assign:
            self._round(rows, cid, congress, kind, unit, 1, t, at, date_of, hard, name, log)
        if "rated" in t:
            lead_value = (
                "dissatisfied"
                if name in ("dissatisfied", "round2", "closed_round2", "staff_closed")
                else ("satisfied" if rng.random() < 0.72 else "mostly")
            )
            self._ratings(rows, cid, lead, cosigners, 1, lead_value, at("rated"), log)
        if rounds == 2:
            unit2 = unit if rng.random() < 0.7 else rng.choice(congress.all_units)
            self._round(rows, cid, congress, kind, unit2, 2, t, at, date_of, hard, name, log)
            if "rated2" in t:
                self._ratings(
                    rows,
                    cid,
                    lead,
                    cosigners,
                    2,
                    "satisfied" if rng.random() < 0.6 else "mostly",
                    at("rated2"),
                    log,
                    event="rated2",
                )
        if "staff_closed" in t:
            status_note = "经主任会议研究，该件已尽力办理，不再重新交办。"
        if "closed" in t:
            log("closed", "case.closed", staff if name == "staff_closed" else lead_user)
        if "published" in t:
            log("published", "case.published", staff)
        if priority:
            when = t.get("ack", t.get("assigned", 0.0)) + rng.uniform(0.5, 5)
            when = min(when, age - 0.01)
            rows["supervision"].append(
                (
                    self.new_id("supervision"),
                    cid,
                    "priority",
                    "主任会议决定重点督办。",
                    staff,
                    created + dt.timedelta(days=when),
                    (created + dt.timedelta(days=when)).date(),
                    "主任会议",
                    "代表工作委员会",
                )
            )
            log("created", "case.priority_marked", staff, when)
            if overdue:
                rows["supervision"].append(
                    (
                        self.new_id("supervision"),
                        cid,
                        "chase",
                        "已超期，催促承办单位尽快答复。",
                        staff,
                        created + dt.timedelta(days=min(when + 1, age - 0.005)),
                        None,
                        "",
                        "",
                    )
                )
                log("created", "case.supervised", staff, min(when + 1, age - 0.005))

        # The wall.
        realised_at = None
        if on_wall:
            log("wall", "wish.on_wall", staff)
            self._claims(rows, cid, amount, wall_state, t, at, log, staff)
            if wall_state == "realised":
                realised_at = at("realised")
                if "closed" in t and rng.random() < 0.5:
                    visit = min(t["realised"] + rng.uniform(5, 30), age - 0.01)
                    rows["follow_up"].append(
                        (
                            self.new_id("follow_up"),
                            cid,
                            (created + dt.timedelta(days=visit)).date(),
                            True,
                            "家属表示心愿已经实现，感谢社会各界。",
                            staff,
                            created + dt.timedelta(days=visit),
                        )
                    )
                    log("created", "case.followed_up", staff, visit)

        closed_at = at("closed") if "closed" in t else None
        answered_at = (
            at("answered2" if "answered2" in t else "answered")
            if "answered" in t and (rounds == 1 or "answered2" in t)
            else None
        )
        # published within 20 working days of the answer, rated within a month of it
        publish_due = add_working_days(answered_at.date(), 20) if answered_at else None
        rating_due = add_months(answered_at.date(), 1) if answered_at else None
        rows["case"].append(
            (
                cid,
                created,
                created + dt.timedelta(days=last),
                number,
                kind,
                title,
                content,
                category,
                amount,
                congress.id,
                lead,
                place_id,
                station,
                lead_user or staff,
                case_status,
                rounds,
                hard,
                priority,
                refuse_reason,
                status_note,
                at("verified") if "verified" in t else None,
                at("filed") if "filed" in t else None,
                assign_due,
                bool(assign_due is not None and assign_due.provisional),
                at("reassigned" if rounds == 2 else "assigned") if reaches_assign else None,
                answer_due,
                answered_at,
                closed_at,
                publish_due,
                bool(publish_due is not None and publish_due.provisional),
                at("published") if "published" in t else None,
                public_summary if on_wall else "",
                at("wall") if on_wall else None,
                realised_at,
                self.segment(f"{title} {content}"),
                rating_due,
                False,
            )
        )
        self.counts[f"cases_{kind}"] += 1
        self.counts[f"status_{case_status}"] += 1
        if overdue:
            self.counts["overdue"] += 1
        if on_wall:
            self.counts[f"wall_{wall_state}"] += 1

    def _beneficiary(self, rows, cid, wish, township, village, place_label) -> None:
        rng = self.rng
        group = wish[3]
        name = _name(rng)
        region = township.code[:6]
        year = {"elderly_alone": (1935, 1958), "child": (2010, 2019)}.get(group, (1950, 2000))
        birth = dt.date(rng.randint(*year), rng.randint(1, 12), rng.randint(1, 28))
        id_number = (
            self.with_check_digit(f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}")
            if rng.random() < 0.9
            else ""
        )
        phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}" if rng.random() < 0.8 else ""
        address = f"{place_label}{rng.randint(1, 300)}号"
        household = self.blind_index(id_number) if id_number else self.blind_index(f"{name}|{address}")
        enc = self.encrypt
        rows["beneficiary"].append(
            (
                self.new_id("beneficiary"),
                cid,
                "individual" if group in ("elderly_alone", "disabled", "child") else "household",
                group,
                enc(name),
                enc(id_number) if id_number else "",
                household,
                enc(phone) if phone else "",
                enc(address),
            )
        )

    def _round(self, rows, cid, congress, kind, unit, rnd, t, at, date_of, hard, name, log) -> None:
        """The assignments of one round, their handling, opinions and answers."""
        rng = self.rng
        suffix = "" if rnd == 1 else "2"
        assigned_event = "assigned" if rnd == 1 else "reassigned"
        ack_event = "ack" + suffix
        answered_event = "answered" + suffix
        assigned_on = date_of(assigned_event)
        due = add_months(assigned_on, 6 if hard else 3) if rnd == 1 else add_months(assigned_on, 1)
        answered = answered_event in t
        r = rng.random()
        others = [u for u in congress.all_units if u != unit]
        if rnd == 1 and kind == "suggestion" and r < 0.1 and len(others) >= 2:
            parts = [(unit, "split")] + [(u, "split") for u in rng.sample(others, rng.randint(1, 2))]
        elif rnd == 1 and r < 0.35 and others:
            parts = [(unit, "lead")] + [
                (u, "assisting") for u in rng.sample(others, min(len(others), rng.randint(1, 2)))
            ]
        else:
            parts = [(unit, "lead")]
        pending = not answered and rng.random() < 0.15
        staff = self.accounts["staff"][congress.id]
        log(assigned_event, "case.assigned" if rnd == 1 else "case.reassigned", staff)
        for unit_id, role in parts:
            aid = self.new_id("assignment")
            handler = self.accounts["handler"][unit_id]
            assisting = role == "assisting"
            ack_at = None if pending else at(ack_event)
            if ack_at is not None:
                log(ack_event, "assignment.acknowledged", handler)
            opinion, opinion_at = "", None
            if answered or (not pending and assisting and rng.random() < 0.5):
                status = "answered"
                if assisting:
                    opinion = OPINION
                    when = min(t[ack_event] + rng.uniform(3, 25), self.limit)
                    if answered:
                        when = min(when, t[answered_event] - 0.1)
                    opinion_at = at(ack_event) + dt.timedelta(days=max(0.01, when - t[ack_event]))
                    log(ack_event, "assignment.opinion_sent", handler, max(t[ack_event] + 0.01, when))
            else:
                status = "pending" if pending else "handling"
            rows["assignment"].append(
                (
                    aid,
                    at(assigned_event),
                    at(answered_event) if answered else (ack_at or at(assigned_event)),
                    cid,
                    unit_id,
                    role,
                    rnd,
                    status,
                    due,
                    add_months(assigned_on, 1) if assisting else None,
                    add_working_days(assigned_on, 7),
                    add_working_days(assigned_on, 7).provisional,
                    ack_at,
                    opinion,
                    opinion_at,
                )
            )
            if not assisting and ack_at is not None and rng.random() < 0.4:
                note_kind, note = rng.choice(HANDLING_NOTES)
                end = t[answered_event] if answered else min(t[ack_event] + 20, self.limit)
                when = rng.uniform(t[ack_event] + 0.001, max(t[ack_event] + 0.002, end))
                rows["record"].append(
                    (
                        self.new_id("record"),
                        aid,
                        note_kind,
                        at(ack_event).date() + dt.timedelta(days=int(when - t[ack_event])),
                        note,
                        handler,
                        at(ack_event) + dt.timedelta(days=when - t[ack_event]),
                    )
                )
                log(ack_event, "assignment.recorded", handler, when)
            if answered and not assisting:
                code = CLASS_CODES[_pick(CLASS_CUM, rng.random() * 100)]
                answered_at = at(answered_event)
                rows["answer"].append(
                    (
                        self.new_id("answer"),
                        cid,
                        aid,
                        rnd,
                        code,
                        ANSWERS[code],
                        f"{_name(rng)}（{'镇长' if congress.level == 'township' else '局长'}）",
                        handler,
                        answered_at,
                        answered_at.date() <= due,
                        f"{answered_at.year}-{cid}-{rnd}",  # 文号
                        "active",  # 公开属性: 主动公开
                        "",
                        "",
                    )
                )
                log(answered_event, "case.answer_given", handler)
        if answered:
            log(answered_event, "case.answered", self.accounts["handler"][unit])

    def _ratings(self, rows, cid, lead, cosigners, rnd, lead_value, when, log, event="rated") -> None:
        rng = self.rng
        comment = (
            rng.choice(DISSATISFIED_COMMENTS)
            if lead_value == "dissatisfied"
            else rng.choice(SATISFIED_COMMENTS)
        )
        rows["rating"].append((self.new_id("rating"), cid, lead, rnd, lead_value, comment, when))
        log(event, "case.rated", self.accounts["deputy"].get(lead))
        for d in cosigners:
            if rng.random() < 0.7:
                value = rng.choices(("satisfied", "mostly", "dissatisfied"), weights=(65, 28, 7))[0]
                rows["rating"].append(
                    (
                        self.new_id("rating"),
                        cid,
                        d,
                        rnd,
                        value,
                        "",
                        min(when + dt.timedelta(hours=rng.uniform(1, 48)), self.now),
                    )
                )

    def _claims(self, rows, cid, amount, state, t, at, log, staff) -> None:
        rng = self.rng
        donors = self.accounts["donors"]
        if rng.random() < 0.03:  # an earlier claim, withdrawn: the wish went back on the wall
            hours = rng.uniform(2, 24)
            when = at("wall") + dt.timedelta(hours=hours)
            donor = rng.choice(donors)
            rows["claim"].append(
                (
                    self.new_id("claim"),
                    when,
                    when,
                    cid,
                    donor,
                    "whole",
                    amount,
                    "withdrawn",
                    "联系不上受助家庭，无法按时送达。",
                    None,
                    None,
                )
            )
            log("wall", "claim.created", donor, t["wall"] + hours / 24)
            log("wall", "claim.withdrawn", donor, t["wall"] + hours / 24 + 0.001)
        if state == "open":
            if rng.random() < 0.2 and amount > 100:
                share = Decimal(int(amount) // 2)
                when = at("wall") + dt.timedelta(days=rng.uniform(0.5, 5))
                if when < self.now:
                    rows["claim"].append(
                        (
                            self.new_id("claim"),
                            when,
                            when,
                            cid,
                            rng.choice(donors),
                            "share",
                            share,
                            "live",
                            "",
                            None,
                            None,
                        )
                    )
            return
        status = {"claimed": "live", "delivered": "delivered", "realised": "confirmed"}[state]
        whole = rng.random() < 0.75 or amount < 100
        if whole:
            parts = [amount]
        else:
            first = Decimal(int(amount * Decimal("0.5")))
            parts = [first, amount - first]
        claimed, delivered = at("claim"), at("delivered") if "delivered" in t else None
        confirmed = at("realised") if "realised" in t else None
        for donor, part in zip(rng.sample(donors, len(parts)), parts, strict=True):
            rows["claim"].append(
                (
                    self.new_id("claim"),
                    claimed,
                    confirmed or delivered or claimed,
                    cid,
                    donor,
                    "whole" if whole else "share",
                    part,
                    status,
                    "",
                    delivered,
                    confirmed,
                )
            )
            log("claim", "claim.created", donor)
            if delivered:
                log("delivered", "claim.delivered", donor)
            if confirmed:
                log("realised", "claim.confirmed", staff)
        if confirmed:
            log("realised", "wish.realised", staff)


def _events_after(story: str) -> set[str]:
    return {"answered"} if story in ("answered", "dissatisfied", "round2") else set()


def _accumulate(values):
    total, out = 0.0, []
    for v in values:
        total += v
        out.append(total)
    return out


def _pick(cum: list[float] | tuple, x: float) -> int:
    for i, c in enumerate(cum):
        if x < c:
            return i
    return len(cum) - 1


# --- the build ----------------------------------------------------------------------------------------------

TABLES = {
    # key: (model path, columns by attname)
    "case": (
        "cases.Case",
        "id created_at updated_at number kind title content category amount congress_id lead_deputy_id place_id station_id created_by_id status round is_hard is_priority refuse_reason status_note verified_at filed_at assign_due assign_due_provisional assigned_at answer_due answered_at closed_at publish_due publish_due_provisional published_at public_summary on_wall_at realised_at search_text rating_due closed_unrated",
    ),
    "beneficiary": (
        "cases.Beneficiary",
        "id case_id kind group name id_number household_index phone address",
    ),
    "verification": (
        "cases.HomeVerification",
        "id case_id visited_on visitors findings confirmed recorded_by_id recorded_at",
    ),
    "cosigner": ("cases.Cosigner", "id case_id deputy_id added_at status responded_at"),
    "assignment": (
        "cases.Assignment",
        "id created_at updated_at case_id unit_id role round status answer_due opinion_due reassign_request_due reassign_request_due_provisional acknowledged_at opinion opinion_at",
    ),
    "record": ("cases.HandlingRecord", "id assignment_id kind happened_on note recorded_by_id recorded_at"),
    "answer": (
        "cases.Answer",
        "id case_id assignment_id round answer_class text signed_by answered_by_id answered_at on_time document_number disclosure contact_name contact_phone",
    ),
    "rating": ("cases.Rating", "id case_id deputy_id round value comment rated_at"),
    "claim": (
        "cases.Claim",
        "id created_at updated_at case_id donor_id kind amount status withdraw_reason delivered_at confirmed_at",
    ),
    "follow_up": ("cases.FollowUpVisit", "id case_id visited_on wish_met note recorded_by_id recorded_at"),
    "supervision": (
        "cases.SupervisionAction",
        "id case_id kind note recorded_by_id recorded_at meeting_date meeting_name proposed_by",
    ),
    "audit": ("common.AuditRecord", "id at actor_id verb target_type_id target_id target_repr data"),
}


def build_cases(
    *, scale: str, seed: int, count: int | None = None, progress: Progress | None = None
) -> CasesBuilt:
    """Generate and store `count` cases (default: the scale's) over the data `data_build` made."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection
    from django.db.models import Max

    from minsheng.demo.generator import SCALES

    say = progress or (lambda _msg: None)
    count = SIZES[scale] if count is None else count
    timings: dict[str, float] = {}
    started = time.perf_counter()
    rng = random.Random(seed + 3)  # not the deputies' stream: adding cases changes nothing they drew
    world = World(SCALES[scale].region, say)
    accounts = create_accounts(world, rng, donors=max(10, min(500, count // 2000)), progress=say)
    timings["prepare_s"] = round(time.perf_counter() - started, 2)

    models = {key: apps.get_model(path) for key, (path, _cols) in TABLES.items()}
    columns = {key: _columns(models[key], cols) for key, (_path, cols) in TABLES.items()}
    next_ids = {key: (models[key].objects.aggregate(m=Max("id"))["m"] or 0) + 1 for key in TABLES}
    factory = CaseFactory(world, accounts, rng, next_ids=next_ids)
    writer = Writer()
    generate_s = 0.0
    t = time.perf_counter()
    done = 0
    try:
        while done < count:
            n = min(CHUNK, count - done)
            g = time.perf_counter()
            rows = factory.chunk(n)
            generate_s += time.perf_counter() - g
            writer.put([(models[key], columns[key], rows.get(key, [])) for key in TABLES])
            done += n
            if done == count or done % (CHUNK * 10) == 0:
                say(f"  cases: {done}/{count} ({time.perf_counter() - t:.0f} s)")
    finally:
        writer.close()
    timings["generate_s"] = round(generate_s, 2)
    timings["write_s"] = round(writer.seconds, 2)
    timings["cases_total_s"] = round(time.perf_counter() - t, 2)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models.values())):
            cursor.execute(sql)
    counts = {
        f"rows_{models[k]._meta.db_table}": writer.rows_written.get(models[k]._meta.db_table, 0)
        for k in TABLES
    }
    counts.update(sorted(factory.counts.items()))
    counts["cases"] = count
    counts["accounts_created"] = (
        len(accounts["deputy"]) + len(accounts["staff"]) + len(accounts["handler"]) + len(accounts["donors"])
    )
    timings["total_s"] = round(time.perf_counter() - started, 2)
    return CasesBuilt(count=count, counts=counts, timings=timings)
