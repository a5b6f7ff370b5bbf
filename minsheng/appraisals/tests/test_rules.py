"""The appraisal rules (rules.py), worked by hand: the arithmetic is in the comments, so each expected figure can
be checked with pencil and paper."""

from decimal import Decimal as D

import pytest

from minsheng.appraisals import rules as r


def direct(code="score", name="得分", weight=100, **kw):
    return r.Component(code, name, D(weight), source=r.DIRECT, **kw)


def judged(code="onsite", name="现场竞演", weight=100, trim=0, min_judges=1, few=(), **kw):
    agg = r.Aggregation(trim=trim, min_judges=min_judges, few_judges=few)
    return r.Component(code, name, D(weight), source=r.JUDGES, aggregation=agg, **kw)


def panel(*scores):
    """Judges j1, j2, ... with these scores."""
    return {f"j{i + 1}": D(str(s)) for i, s in enumerate(scores)}


def one(rid, total, group="镇"):
    return r.Contestant(id=rid, group=group, scores={"score": D(str(total))})


def tiers_of(result, group="镇"):
    return {c.id: c.tier for c in result.groups[group].contestants}


# --- a tie on the total broken by the on-site score ---------------------------------------------------------


LEITAI = r.Rules(
    components=(
        direct("assessment", "综合考核评价", 60),
        judged("onsite", "现场竞演", 40, trim=1, min_judges=3),
    ),
    tiers=(
        r.Tier("first", "一等奖", quota=1, award=D(100000)),
        r.Tier("second", "二等奖", quota=1, award=D(50000)),
    ),
    tie_breakers=(r.TieBreaker(r.COMPONENT, "onsite"), r.TieBreaker(r.COMPONENT, "assessment")),
)


def test_a_tie_on_the_total_is_broken_by_the_on_site_score():
    # 甲镇: on-site 80 85 86 87 95, drop 80 and 95: (85 + 86 + 87) / 3 = 86.00
    #       total = 90 × 60% + 86 × 40% = 54 + 34.4 = 88.40
    # 乙镇: on-site 85 89 89 89 99, drop 85 and 99: (89 + 89 + 89) / 3 = 89.00
    #       total = 88 × 60% + 89 × 40% = 52.8 + 35.6 = 88.40: the same total
    # the first tie-breaker is the on-site score: 89.00 > 86.00, so 乙镇 is first
    jia = r.Contestant(
        "jia", "镇", scores={"assessment": D(90)}, judges={"onsite": panel(80, 85, 86, 87, 95)}
    )
    yi = r.Contestant("yi", "镇", scores={"assessment": D(88)}, judges={"onsite": panel(85, 89, 89, 89, 99)})
    result = r.compute(LEITAI, [jia, yi])
    first, second = result.groups["镇"].contestants
    assert (first.id, first.total, first.rank, first.tier, first.award) == (
        "yi",
        D("88.40"),
        1,
        "first",
        100000,
    )
    assert (second.id, second.total, second.rank, second.tier) == ("jia", D("88.40"), 2, "second")
    assert second.components["onsite"].value == D("86.00")
    assert second.components["onsite"].dropped == ("j1", "j5")  # 80 and 95
    assert not first.shared and not second.shared
    assert "现场竞演" in second.tie_breaks[0]
    assert result.groups["镇"].award_total == D(150000)


def test_the_explanation_shows_the_judges_scores_with_the_dropped_ones_marked_the_weights_and_the_tie_break():
    jia = r.Contestant(
        "jia", "镇", scores={"assessment": D(90)}, judges={"onsite": panel(80, 85, 86, 87, 95)}
    )
    yi = r.Contestant("yi", "镇", scores={"assessment": D(88)}, judges={"onsite": panel(85, 89, 89, 89, 99)})
    lines = r.compute(LEITAI, [jia, yi]).by_id["jia"].explain(LEITAI)
    text = "\n".join(lines)
    assert "[j1: 80]" in text and "[j5: 95]" in text and "j2: 85" in text and "[j2" not in text
    assert "90.00×60%" in text and "86.00×40%" in text and "88.40" in text
    assert "yi" in lines[-1]


# --- an unbroken tie straddling a quota boundary --------------------------------------------------------------

# Six towns: 95, then three at 90 (no tie-breaker), then 80 and 70. 一等奖 has 2 seats: 95 takes one, and the tie
# of three at 90 crosses the end of the seats with 1 seat left.
STRADDLE_TIERS = (
    r.Tier("first", "一等奖", quota=2),
    r.Tier("second", "二等奖", quota=3),
    r.Tier("third", "三等奖", quota=1),
)
SIX = [one("a", 95), one("b", 90), one("c", 90), one("d", 90), one("e", 80), one("f", 70)]


def straddle_rules(policy, **kw):
    return r.Rules(components=(direct(),), tiers=STRADDLE_TIERS, straddle=policy, **kw)


def test_a_straddling_tie_all_get_the_higher_tier_and_the_tier_exceeds_its_quota_by_the_tie():
    # seats of 一等奖: 2; a takes 1, the tie of 3 has 1 left → all three get 一等奖: 4 = 2 + (3 − 1)
    # 二等奖 (3 seats) then takes e and f; 三等奖 nobody
    result = r.compute(straddle_rules(r.ALL_HIGHER), SIX)
    assert tiers_of(result) == {
        "a": "first",
        "b": "first",
        "c": "first",
        "d": "first",
        "e": "second",
        "f": "second",
    }
    assert result.groups["镇"].counts == {"first": 4, "second": 2, "third": 0}
    assert [c.rank for c in result.groups["镇"].contestants] == [1, 2, 2, 2, 5, 6]
    assert not result.pending


def test_a_straddling_tie_all_get_the_lower_tier_and_the_higher_tier_stays_under_its_quota():
    # 一等奖: only a (1 of 2 seats); the tie of 3 starts 二等奖 (3 seats: exactly filled); e takes 三等奖, f nothing
    result = r.compute(straddle_rules(r.ALL_LOWER), SIX)
    assert tiers_of(result) == {
        "a": "first",
        "b": "second",
        "c": "second",
        "d": "second",
        "e": "third",
        "f": "",
    }
    assert result.groups["镇"].counts == {"first": 1, "second": 3, "third": 1}


def test_a_straddling_tie_decided_by_the_organisers_gives_the_seat_left_to_the_one_they_recorded():
    # the organisers recorded that c takes the 1 seat left of 一等奖; b and d start 二等奖 (2 of 3 seats), then e;
    # f takes 三等奖
    decisions = r.Decisions(straddle={("镇", "first"): frozenset({"c"})})
    result = r.compute(straddle_rules(r.DECISION), SIX, decisions)
    assert tiers_of(result) == {
        "a": "first",
        "c": "first",
        "b": "second",
        "d": "second",
        "e": "second",
        "f": "third",
    }
    assert result.groups["镇"].counts == {"first": 2, "second": 3, "third": 1}
    assert not result.pending


def test_a_straddling_tie_waiting_for_a_decision_is_pending_and_meanwhile_takes_the_lower_tier():
    result = r.compute(straddle_rules(r.DECISION), SIX)
    (pending,) = result.pending
    assert (pending.kind, pending.group, pending.tier, pending.seats) == ("straddle", "镇", "first", 1)
    assert pending.contestants == ("b", "c", "d")
    assert tiers_of(result)["c"] == "second"
    assert [c.pending for c in result.groups["镇"].contestants] == [False, True, True, True, False, False]


def test_a_straddle_decision_naming_more_than_the_seats_left_is_refused():
    decisions = r.Decisions(straddle={("镇", "first"): frozenset({"b", "c"})})
    with pytest.raises(r.RulesError, match="1"):
        r.compute(straddle_rules(r.DECISION), SIX, decisions)


def test_the_seats_a_tie_took_beyond_its_quota_come_off_the_next_tier_when_the_rules_say_so():
    # 一等奖 takes a, b, c, d (2 over its quota); 二等奖 has 3 − 2 = 1 seat: e; 三等奖 f
    result = r.compute(straddle_rules(r.ALL_HIGHER, excess_reduces_next=True), SIX)
    assert tiers_of(result) == {
        "a": "first",
        "b": "first",
        "c": "first",
        "d": "first",
        "e": "second",
        "f": "third",
    }


def test_an_unbroken_tie_under_a_decision_rule_is_ordered_as_the_organisers_recorded():
    rules = r.Rules(components=(direct(),), tiers=STRADDLE_TIERS, final=r.DECISION, straddle=r.ALL_HIGHER)
    decisions = r.Decisions(tie_order={"d": 1, "b": 2, "c": 3})
    result = r.compute(rules, SIX, decisions)
    order = [(c.id, c.rank, c.tier) for c in result.groups["镇"].contestants]
    # the tie is broken: a, d take 一等奖's 2 seats, b, c and e 二等奖, f 三等奖
    assert order == [
        ("a", 1, "first"),
        ("d", 2, "first"),
        ("b", 3, "second"),
        ("c", 4, "second"),
        ("e", 5, "second"),
        ("f", 6, "third"),
    ]
    assert not result.pending


def test_a_minimum_total_leaves_a_tiers_seats_empty_rather_than_passing_them_on():
    rules = r.Rules(
        components=(direct(),),
        tiers=(r.Tier("first", "一等奖", quota=1, min_total=D(96)), r.Tier("second", "二等奖", quota=1)),
    )
    # nobody reaches 96: 一等奖 stays empty; 二等奖 still has only its 1 seat (a)
    assert tiers_of(r.compute(rules, SIX)) == {"a": "second", "b": "", "c": "", "d": "", "e": "", "f": ""}


# --- percentage quotas with rounding --------------------------------------------------------------------------


def test_percentage_quotas_are_turned_into_seats_with_each_tiers_own_rounding():
    tiers = (
        r.Tier("first", "一等奖", quota_percent=D(10)),  # 14 × 10% = 1.4, down → 1
        r.Tier("second", "二等奖", quota_percent=D(20), quota_rounding=r.HALF_UP),  # 2.8, half up → 3
        r.Tier("third", "三等奖", quota_percent=D(25), quota_rounding=r.HALF_UP),  # 3.5, half up → 4
        r.Tier("merit", "优秀奖", quota_percent=D(25)),  # 3.5, down → 3
    )
    villages = [one(f"v{i:02}", 100 - i, group="村") for i in range(14)]
    result = r.compute(r.Rules(components=(direct(),), tiers=tiers), villages)
    group = result.groups["村"]
    assert group.seats == {"first": 1, "second": 3, "third": 4, "merit": 3}
    assert group.counts == group.seats
    assert [c.tier for c in group.contestants][:12] == ["first"] + ["second"] * 3 + ["third"] * 4 + [
        "merit"
    ] * 3 + [""]


def test_percentage_quotas_rounded_up_beyond_the_group_are_refused_with_a_clear_message():
    tiers = (r.Tier("first", "一等奖", quota_percent=D(50), quota_rounding=r.UP),) * 1 + (
        r.Tier("second", "二等奖", quota_percent=D(50), quota_rounding=r.UP),
    )
    # 3 × 50% = 1.5, up → 2, twice: 4 seats for 3 contestants
    with pytest.raises(r.RulesError, match="4") as refused:
        r.compute(r.Rules(components=(direct(),), tiers=tiers), [one("a", 1), one("b", 2), one("c", 3)])
    assert "3" in refused.value.message


# --- the few-judges fallbacks ---------------------------------------------------------------------------------

FEW = judged(trim=1, min_judges=2, few=((2, r.MEAN), (3, r.CLOSEST_TWO)))


def onsite_of(*scores, component=FEW):
    rules = r.Rules(components=(component,))
    result = r.compute(rules, [r.Contestant("x", "镇", judges={"onsite": panel(*scores)})])
    return result.by_id["x"].components["onsite"]


def test_two_judges_give_their_mean():
    # (80 + 91) / 2 = 85.50, nothing dropped
    score = onsite_of(80, 91)
    assert (score.value, score.method, score.dropped) == (D("85.50"), r.MEAN, ())


def test_three_judges_give_the_mean_of_the_two_closest():
    # 70, 84, 86: 84 and 86 are 2 apart, 70 and 84 are 14 → (84 + 86) / 2 = 85.00, 70 dropped
    score = onsite_of(70, 84, 86)
    assert (score.value, score.method, score.dropped) == (D("85.00"), r.CLOSEST_TWO, ("j1",))


def test_three_judges_equally_apart_give_the_middle_score():
    # 80, 85, 90: both pairs 5 apart → the mean of all three, (80 + 85 + 90) / 3 = 85.00
    score = onsite_of(80, 85, 90)
    assert (score.value, score.dropped) == (D("85.00"), ())


def test_four_judges_drop_the_highest_and_the_lowest():
    # 70, 80, 90, 100: drop 70 and 100 → (80 + 90) / 2 = 85.00
    score = onsite_of(70, 80, 90, 100)
    assert (score.value, score.method, score.dropped) == (D("85.00"), r.TRIMMED, ("j1", "j4"))


def test_fewer_judges_than_the_minimum_are_refused():
    with pytest.raises(r.RulesError, match="至少|at least"):
        onsite_of(88)


def test_a_trim_that_leaves_no_score_without_a_fallback_is_refused_in_the_rules():
    # drop 1 highest and 1 lowest: 3 judges needed, but 2 are allowed and nothing says what to do with 2
    with pytest.raises(r.RulesError) as refused:
        r.validate(r.Rules(components=(judged(trim=1, min_judges=2),)))
    assert "2" in refused.value.message and "3" in refused.value.message


def test_the_median_fallback_takes_the_middle_score():
    # 60, 75, 99 with the median for 3: 75.00
    score = onsite_of(60, 75, 99, component=judged(trim=1, min_judges=3, few=((3, r.MEDIAN),)))
    assert (score.value, score.dropped) == (D("75.00"), ("j1", "j3"))


# --- rounding at the component step changing a rank ---------------------------------------------------------


def rounding_rules(mode):
    return r.Rules(
        components=(judged("onsite", "现场竞演", 60), direct("assessment", "综合考核评价", 40)),
        component_rounding=r.Rounding(2, mode),
        total_rounding=r.Rounding(3, r.HALF_UP),
    )


ROUNDING_PAIR = [
    r.Contestant("A", "镇", scores={"assessment": D("80.00")}, judges={"onsite": panel("85.01", "85.00")}),
    r.Contestant("B", "镇", scores={"assessment": D("80.01")}, judges={"onsite": panel("85.00", "85.00")}),
]


def test_half_up_rounding_at_the_component_step_puts_a_first():
    # A: on-site (85.01 + 85.00) / 2 = 85.005 → half up 85.01; total 85.01 × 60% + 80.00 × 40% = 51.006 + 32
    #    = 83.006
    # B: on-site 85.00; total 85.00 × 60% + 80.01 × 40% = 51 + 32.004 = 83.004 → A first
    result = r.compute(rounding_rules(r.HALF_UP), ROUNDING_PAIR)
    assert [(c.id, c.total) for c in result.groups["镇"].contestants] == [
        ("A", D("83.006")),
        ("B", D("83.004")),
    ]


def test_half_even_rounding_at_the_component_step_puts_b_first():
    # A: 85.005 → half even 85.00; total 51 + 32 = 83.000 < B's 83.004
    result = r.compute(rounding_rules(r.HALF_EVEN), ROUNDING_PAIR)
    assert [(c.id, c.total) for c in result.groups["镇"].contestants] == [
        ("B", D("83.004")),
        ("A", D("83.000")),
    ]


# --- grading (星级评定) -----------------------------------------------------------------------------------------

STARS = (
    r.Tier("five", "五星", threshold=D(95), requires_below=True, granted_by="nation"),
    r.Tier("four", "四星", threshold=D(90), requires_below=True, granted_by="province"),
    r.Tier("three", "三星", threshold=D(80), granted_by="city"),
)


def grading(level):
    return r.Rules(components=(direct(),), tiers=STARS, kind=r.GRADING, organiser_level=level)


def test_a_city_round_grants_three_stars_to_every_office_above_the_threshold_and_nothing_more():
    offices = [one("a", 96), one("b", 85), one("c", 79.99)]
    result = r.compute(grading("city"), offices)
    assert tiers_of(result) == {"a": "three", "b": "three", "c": ""}
    assert len(result.by_id["a"].notes) == 2  # reached 五星 and 四星, granted by other levels


def test_a_province_round_grants_four_stars_only_to_holders_of_three_stars():
    holder = r.Contestant("a", "镇", scores={"score": D(92)}, holds="three")
    newcomer = r.Contestant("b", "镇", scores={"score": D(92)})
    result = r.compute(grading("province"), [holder, newcomer])
    assert tiers_of(result) == {"a": "four", "b": ""}
    assert "三星" in result.by_id["b"].notes[0]


def test_granting_a_grade_without_the_grade_below_is_refused_with_a_clear_message():
    refusal = r.grant_refusal(grading("province"), "four", holds="")
    assert refusal is not None and "三星" in refusal and "四星" in refusal
    assert r.grant_refusal(grading("province"), "four", holds="three") is None


def test_a_grade_that_requires_a_grade_below_when_there_is_none_is_refused():
    tiers = (r.Tier("three", "三星", threshold=D(80), requires_below=True),)
    with pytest.raises(r.RulesError, match="三星"):
        r.validate(r.Rules(components=(direct(),), tiers=tiers, kind=r.GRADING))


# --- bad rules and bad scores ---------------------------------------------------------------------------------


def test_weights_not_summing_to_100_percent_are_refused():
    rules = r.Rules(components=(direct("a", "甲", 60), direct("b", "乙", 30)))
    with pytest.raises(r.RulesError, match="90"):
        r.validate(rules)


def test_quotas_exceeding_the_group_are_refused():
    rules = r.Rules(
        components=(direct(),),
        tiers=(r.Tier("first", "一等奖", quota=2), r.Tier("second", "二等奖", quota=2)),
    )
    with pytest.raises(r.RulesError) as refused:
        r.validate(rules, [one("a", 90), one("b", 80), one("c", 70)])
    assert "4" in refused.value.message and "3" in refused.value.message


def test_a_judges_score_out_of_range_is_refused_naming_the_judge():
    rules = r.Rules(components=(judged(high=D(100)),))
    bad = r.Contestant("x", "镇", name="台城街道", judges={"onsite": panel(90, "100.5")})
    with pytest.raises(r.RulesError) as refused:
        r.compute(rules, [bad])
    assert (
        "100.5" in refused.value.message
        and "j2" in refused.value.message
        and "台城街道" in refused.value.message
    )


def test_a_missing_direct_score_is_refused():
    with pytest.raises(r.RulesError):
        r.compute(r.Rules(components=(direct(),)), [r.Contestant("x", "镇")])


def test_validate_lists_every_problem_not_only_the_first():
    rules = r.Rules(components=(direct(high=D(10)),))
    with pytest.raises(r.RulesError) as refused:
        r.validate(rules, [one("a", 11), one("b", 12)])
    assert len(refused.value.problems) == 2


def test_the_rules_snapshot_gives_back_the_same_rules():
    rules = r.Rules(
        components=LEITAI.components,
        tiers=STRADDLE_TIERS
        + (r.Tier("pct", "优秀奖", quota_percent=D("12.5"), min_total=D(60), award=D(5000)),),
        tie_breakers=LEITAI.tie_breakers
        + (r.TieBreaker(r.ALL_JUDGES_MEAN, "onsite"), r.TieBreaker(r.TOTAL_UNROUNDED)),
        straddle=r.DECISION,
        group_tiers=(("村", STRADDLE_TIERS[:1]),),
    )
    assert r.rules_from_dict(r.rules_to_dict(rules)) == rules


# --- normalisation (z-scores) --------------------------------------------------------------------------------


def test_normalised_judges_count_alike_however_widely_each_spreads_their_scores():
    # j1 gives 90 and 70 (mean 80, deviation 10), j2 84 and 76 (mean 80, deviation 4): z = +1 and −1 for both
    # panel: 90, 70, 84, 76 → mean 80, variance (100 + 100 + 16 + 16) / 4 = 58, deviation √58 = 7.6157731…
    # x: 80 + 7.6157731 = 87.6158 for both judges → 87.62; y: 80 − 7.6157731 = 72.3842 → 72.38
    # (without normalisation: x (90 + 84) / 2 = 87.00, y 73.00)
    component = r.Component(
        "onsite", "现场竞演", D(100), aggregation=r.Aggregation(normalise=True, min_judges=2)
    )
    rules = r.Rules(components=(component,))
    x = r.Contestant("x", "镇", judges={"onsite": {"j1": D(90), "j2": D(84)}})
    y = r.Contestant("y", "镇", judges={"onsite": {"j1": D(70), "j2": D(76)}})
    result = r.compute(rules, [x, y])
    sx, sy = result.by_id["x"].components["onsite"], result.by_id["y"].components["onsite"]
    assert dict(sx.normalised) == {"j1": D("87.6158"), "j2": D("87.6158")}
    assert (sx.value, sy.value) == (D("87.62"), D("72.38"))
    assert "84→87.6158" in "\n".join(result.by_id["x"].explain(rules))
