"""Every write of the appraisals wing: one function per use case, atomic, the appraisal's row locked before its
state is read, permissions through `ensure()`, the audit record in the same transaction.

The rules themselves are `rules.py` (pure); `rules_of` and `inputs_of` turn the rows into what it takes.
Refusals are DomainErrors with a translated message and change nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.common import audit, clock
from minsheng.common.errors import Conflict, DomainError, TransitionNotAllowed
from minsheng.common.permissions import ensure
from minsheng.common.validators import check_planned_date, clean_text

from . import rules
from .models import (
    Appraisal,
    Component,
    Contestant,
    Grade,
    Group,
    Judge,
    JudgeSubmission,
    ResultVersion,
    Score,
    Tier,
)

Status = Appraisal.Status
LEVEL_OF_CONGRESS = {
    "national": "nation",
    "provincial": "province",
    "city": "city",
    "county": "county",
    "township": "township",
}


class ImportRefused(DomainError):
    """An Excel file of scores with wrong rows: `rows` lists (row number, message) for every one of them."""

    def __init__(self, rows: list[tuple[int, str]]):
        super().__init__(
            _("%(n)s rows of the file are wrong; nothing was imported.") % {"n": len(rows)},
            code="import_refused",
        )
        self.rows = rows


# --- rows to rules -------------------------------------------------------------------------------------------


def _tier_rule(t: Tier) -> rules.Tier:
    return rules.Tier(
        code=t.code,
        name=t.name,
        quota=t.quota,
        quota_percent=t.quota_percent,
        quota_rounding=t.quota_rounding,
        min_total=t.min_total,
        award=t.award,
        threshold=t.threshold,
        requires_below=t.requires_below,
        granted_by=t.granted_by,
    )


def rules_of(appraisal: Appraisal) -> rules.Rules:
    """The appraisal's rules as the pure `rules.Rules` (two queries)."""
    components = tuple(
        rules.Component(
            code=c.code,
            name=c.name,
            weight=c.weight,
            source=c.source,
            low=c.low,
            high=c.high,
            aggregation=rules.Aggregation(
                trim=c.trim,
                min_judges=c.min_judges,
                few_judges=tuple((int(n), how) for n, how in c.few_judges),
                normalise=c.normalise,
            ),
        )
        for c in appraisal.components.order_by("order", "id")
    )
    tiers = list(appraisal.tiers.order_by("order", "id"))
    common = tuple(_tier_rule(t) for t in tiers if t.group_id is None)
    own: dict[str, list] = defaultdict(list)
    for t in tiers:
        if t.group_id is not None:
            own[str(t.group_id)].append(_tier_rule(t))
    return rules.Rules(
        kind=appraisal.kind,
        components=components,
        tiers=common,
        group_tiers=tuple((g, tuple(ts)) for g, ts in sorted(own.items())),
        component_rounding=rules.Rounding(appraisal.component_places, appraisal.component_rounding),
        total_rounding=rules.Rounding(appraisal.total_places, appraisal.total_rounding),
        tie_breakers=tuple(rules.TieBreaker(kind, code or "") for kind, code in appraisal.tie_breakers),
        final=appraisal.tie_final,
        straddle=appraisal.straddle,
        excess_reduces_next=appraisal.excess_reduces_next,
        organiser_level=LEVEL_OF_CONGRESS.get(appraisal.congress.level, ""),
    )


def decisions_of(appraisal: Appraisal) -> rules.Decisions:
    data = appraisal.decisions or {}
    return rules.Decisions(
        tie_order={str(k): int(v) for k, v in (data.get("tie_order") or {}).items()},
        straddle={
            (str(group), code): frozenset(str(i) for i in ids)
            for group, code, ids in data.get("straddle") or []
        },
    )


def inputs_of(appraisal: Appraisal) -> list[rules.Contestant]:
    """Every contestant with its scores, as `rules.Contestant` (ids as strings: contestant pk, group pk, judge
    label). Two queries."""
    entered: dict[int, dict[str, Decimal]] = defaultdict(dict)
    judged: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    scores = Score.objects.filter(contestant__appraisal=appraisal).values_list(
        "contestant_id", "component__code", "judge__label", "value"
    )
    for contestant_id, code, label, value in scores.iterator(chunk_size=5000):
        if label is None:
            entered[contestant_id][code] = value
        else:
            judged[contestant_id][code][label] = value
    return [
        rules.Contestant(
            id=str(c.pk),
            group=str(c.group_id),
            name=c.name,
            holds=c.holds,
            scores=entered.get(c.pk, {}),
            judges={code: dict(v) for code, v in judged.get(c.pk, {}).items()},
        )
        for c in appraisal.contestants.order_by("id")
    ]


def inputs_to_dict(contestants: Iterable[rules.Contestant], decisions: rules.Decisions) -> dict:
    """What a ResultVersion keeps of the inputs, so that it can be computed again exactly."""
    return {
        "contestants": [
            {
                "id": c.id,
                "group": c.group,
                "name": c.name,
                "holds": c.holds,
                "scores": {k: format(v, "f") for k, v in sorted(c.scores.items())},
                "judges": {
                    k: {j: format(v, "f") for j, v in sorted(js.items())}
                    for k, js in sorted(c.judges.items())
                },
            }
            for c in sorted(contestants, key=lambda c: c.id)
        ],
        "decisions": {
            "tie_order": dict(sorted(decisions.tie_order.items())),
            "straddle": sorted([g, t, sorted(ids)] for (g, t), ids in decisions.straddle.items()),
        },
    }


def inputs_from_dict(data: dict) -> tuple[list[rules.Contestant], rules.Decisions]:
    contestants = [
        rules.Contestant(
            id=c["id"],
            group=c["group"],
            name=c["name"],
            holds=c["holds"],
            scores={k: Decimal(v) for k, v in c["scores"].items()},
            judges={k: {j: Decimal(v) for j, v in js.items()} for k, js in c["judges"].items()},
        )
        for c in data["contestants"]
    ]
    d = data["decisions"]
    decisions = rules.Decisions(
        tie_order=dict(d["tie_order"]), straddle={(g, t): frozenset(ids) for g, t, ids in d["straddle"]}
    )
    return contestants, decisions


# --- helpers -------------------------------------------------------------------------------------------------


def _locked(appraisal_id: int) -> Appraisal:
    try:
        return Appraisal.objects.select_for_update().select_related("congress").get(pk=appraisal_id)
    except Appraisal.DoesNotExist:
        raise DomainError(_("There is no such appraisal."), code="not_found") from None


def _require(appraisal: Appraisal, *states: str) -> None:
    if appraisal.status not in states:
        labels = dict(Status.choices)
        raise TransitionNotAllowed(
            _("This cannot be done while the appraisal is “%(status)s”.")
            % {"status": labels.get(appraisal.status, appraisal.status)}
        )


def _decimal(value, *, field: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("“%(value)s” is not a number.") % {"value": value}, field=field) from None
    if not number.is_finite():
        raise DomainError(_("“%(value)s” is not a number.") % {"value": value}, field=field)
    if number != number.quantize(Decimal("0.01")):
        raise DomainError(_("A score has at most 2 decimals."), field=field)
    return number


def _in_range(component: Component, value: Decimal, *, field: str = "value") -> None:
    if not component.low <= value <= component.high:
        raise DomainError(
            _("The score %(score)s of “%(name)s” is outside its range %(low)s–%(high)s.")
            % {"score": value, "name": component.name, "low": component.low, "high": component.high},
            field=field,
            code="out_of_range",
        )


def _check_rules(appraisal: Appraisal, *, sizes: bool = True) -> rules.Rules:
    """The rules of the appraisal, refused (RulesError) when unsound; with `sizes`, the quotas checked against
    the groups' contestants too."""
    compiled = rules_of(appraisal)
    problems = rules.validate_rules(compiled)
    if sizes and not problems and compiled.kind == rules.CONTEST:
        counts: dict[str, int] = defaultdict(int)
        for group_id in appraisal.contestants.values_list("group_id", flat=True):
            counts[str(group_id)] += 1
        for group in appraisal.groups.all():
            size = counts.get(str(group.pk), 0)
            seats = sum(t.seats(size) for t in compiled.tiers_of(str(group.pk)))
            if seats > size:
                problems.append(
                    _(
                        "The quotas of group “%(group)s” add up to %(seats)s, more than its %(size)s contestants."
                    )
                    % {"group": group.name, "seats": seats, "size": size}
                )
    if problems:
        raise rules.RulesError(problems)
    return compiled


# --- setting up ----------------------------------------------------------------------------------------------


@transaction.atomic
def appraisal_create(*, actor, congress, title: str, kind: str = rules.CONTEST, year: int) -> Appraisal:
    """A new appraisal in preparation (草稿), organised by `congress`."""
    ensure(actor, "appraisals.manage", congress)
    if kind not in rules.KINDS:
        raise DomainError(_("Unknown kind of appraisal."), field="kind")
    appraisal = Appraisal.objects.create(
        congress=congress,
        title=clean_text(title, field="title", required=True, model=Appraisal),
        kind=kind,
        year=year,
    )
    audit.record(actor, "appraisal.created", appraisal, kind=kind, year=year)
    return appraisal


OPTIONS = (
    "component_places",
    "component_rounding",
    "total_places",
    "total_rounding",
    "tie_breakers",
    "tie_final",
    "straddle",
    "excess_reduces_next",
)
COMPONENT_FIELDS = (
    "code",
    "name",
    "weight",
    "source",
    "low",
    "high",
    "trim",
    "min_judges",
    "few_judges",
    "normalise",
)
TIER_FIELDS = (
    "code",
    "name",
    "quota",
    "quota_percent",
    "quota_rounding",
    "min_total",
    "award",
    "threshold",
    "requires_below",
    "granted_by",
)


@transaction.atomic
def appraisal_configure(
    *,
    actor,
    appraisal_id: int,
    components: list[dict[str, Any]],
    tiers: list[dict[str, Any]],
    groups: list[str] | None = None,
    **options,
) -> Appraisal:
    """Set the rules (components, tiers, rounding, ties) while in preparation; refused, nothing changed, when
    they are unsound. `groups` (names) creates the groups not there yet; a tier dict may name its `group`."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.DRAFT)
    unknown = set(options) - set(OPTIONS)
    if unknown:
        raise DomainError(_("Unknown option: %(name)s") % {"name": ", ".join(sorted(unknown))})
    if Score.objects.filter(contestant__appraisal=appraisal).exists():
        # the components are replaced below, and their scores with them
        raise TransitionNotAllowed(_("Scores have been entered: the rules can no longer change."))
    for name, value in options.items():
        setattr(appraisal, name, value)
    appraisal.save(update_fields=[*options, "updated_at"])
    for order, name in enumerate(groups or []):
        Group.objects.get_or_create(appraisal=appraisal, name=name, defaults={"order": order})
    by_name = {g.name: g for g in appraisal.groups.all()}
    appraisal.components.all().delete()
    appraisal.tiers.all().delete()
    try:
        Component.objects.bulk_create(
            Component(appraisal=appraisal, order=i, **{k: c[k] for k in COMPONENT_FIELDS if k in c})
            for i, c in enumerate(components)
        )
        made = []
        for i, t in enumerate(tiers):
            group = None
            if t.get("group"):
                if t["group"] not in by_name:
                    raise DomainError(
                        _("There is no group “%(name)s”.") % {"name": t["group"]}, field="tiers"
                    )
                group = by_name[t["group"]]
            made.append(
                Tier(appraisal=appraisal, group=group, order=i, **{k: t[k] for k in TIER_FIELDS if k in t})
            )
        Tier.objects.bulk_create(made)
    except IntegrityError:
        raise DomainError(_("Two components or two tiers have the same code."), code="duplicate") from None
    _check_rules(appraisal, sizes=False)  # the contestants come later: scoring_open checks the quotas
    audit.record(
        actor,
        "appraisal.configured",
        appraisal,
        components=[c.get("code") for c in components],
        tiers=[t.get("code") for t in tiers],
    )
    return appraisal


@transaction.atomic
def contestant_add(
    *, actor, appraisal_id: int, group_id: int, name: str, holds: str = "", **links
) -> Contestant:
    """A contestant of a group (linked to `place`, `station`, `unit` or `deputy` where there is one); only while
    the appraisal is in preparation."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.DRAFT)
    group = Group.objects.filter(appraisal=appraisal, pk=group_id).first()
    if group is None:
        raise DomainError(_("There is no such group."), field="group")
    if set(links) - {"place", "station", "unit", "deputy"}:
        raise DomainError(_("A contestant stands for a place, a station, a unit or a deputy."))
    name = clean_text(name, field="name", required=True, model=Contestant)
    if Contestant.objects.filter(group=group, name=name).exists():
        raise Conflict(_("“%(name)s” is already a contestant of this group.") % {"name": name}, field="name")
    order = Contestant.objects.filter(group=group).count()
    return Contestant.objects.create(
        appraisal=appraisal, group=group, name=name, holds=holds, order=order, **links
    )


@transaction.atomic
def judge_add(*, actor, appraisal_id: int, user, label: str, group_id: int | None = None) -> Judge:
    """A judge (评委) of one group, or of every group; only while in preparation."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.DRAFT)
    group = None
    if group_id is not None:
        group = Group.objects.filter(appraisal=appraisal, pk=group_id).first()
        if group is None:
            raise DomainError(_("There is no such group."), field="group")
    label = clean_text(label, field="label", required=True, model=Judge)
    if appraisal.judges.filter(user=user).exists() or appraisal.judges.filter(label=label).exists():
        raise Conflict(_("This judge is already on the panel."), field="user")
    return Judge.objects.create(appraisal=appraisal, user=user, label=label, group=group)


# --- scoring -------------------------------------------------------------------------------------------------


def _groups(appraisal: Appraisal, group_ids: list[int] | None) -> list[Group]:
    groups = list(appraisal.groups.select_for_update().order_by("id"))
    if group_ids is None:
        return groups
    chosen = [g for g in groups if g.pk in set(group_ids)]
    if len(chosen) != len(set(group_ids)):
        raise DomainError(_("There is no such group."), field="groups")
    return chosen


@transaction.atomic
def scoring_open(*, actor, appraisal_id: int, group_ids: list[int] | None = None) -> Appraisal:
    """Open the scoring of the given groups (all by default). The rules must be sound, each group must have
    contestants and, for a judged component, at least its fewest judges."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.DRAFT, Status.SCORING)
    compiled = _check_rules(appraisal)
    groups = _groups(appraisal, group_ids)
    judges = list(appraisal.judges.all())
    fewest = max(
        (c.aggregation.min_judges for c in compiled.components if c.source == rules.JUDGES), default=0
    )
    for group in groups:
        if group.scoring != Group.Scoring.NOT_OPEN:
            raise TransitionNotAllowed(
                _("The scoring of group “%(group)s” has already been opened.") % {"group": group.name}
            )
        if not group.contestants.exists():
            raise DomainError(_("Group “%(group)s” has no contestants.") % {"group": group.name})
        panel = sum(1 for j in judges if j.judges_group(group))
        if panel < fewest:
            raise DomainError(
                _("Group “%(group)s” has %(n)s judges, at least %(min)s are required.")
                % {"group": group.name, "n": panel, "min": fewest}
            )
    Group.objects.filter(pk__in=[g.pk for g in groups]).update(scoring=Group.Scoring.OPEN)
    if appraisal.status == Status.DRAFT:
        appraisal.move_to(Status.SCORING)
        appraisal.save(update_fields=["status", "updated_at"])
    audit.record(actor, "appraisal.scoring_opened", appraisal, groups=[g.pk for g in groups])
    return appraisal


@transaction.atomic
def scoring_close(*, actor, appraisal_id: int, group_ids: list[int] | None = None) -> Appraisal:
    """Close the scoring of the given groups (all by default); when every group is closed the appraisal is."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.SCORING)
    groups = _groups(appraisal, group_ids)
    for group in groups:
        if group.scoring != Group.Scoring.OPEN:
            raise TransitionNotAllowed(
                _("The scoring of group “%(group)s” is not open.") % {"group": group.name}
            )
    Group.objects.filter(pk__in=[g.pk for g in groups]).update(scoring=Group.Scoring.CLOSED)
    if not appraisal.groups.exclude(scoring=Group.Scoring.CLOSED).exists():
        appraisal.move_to(Status.CLOSED)
        appraisal.save(update_fields=["status", "updated_at"])
    audit.record(actor, "appraisal.scoring_closed", appraisal, groups=[g.pk for g in groups])
    return appraisal


def _judge_for(actor, appraisal_id: int, *, lock: bool) -> Judge:
    qs = Judge.objects.select_related("appraisal")
    if lock:
        qs = qs.select_for_update()
    judge = (
        qs.filter(appraisal_id=appraisal_id, user_id=actor.pk).first()
        if getattr(actor, "is_authenticated", False)
        else None
    )
    if judge is None:
        raise DomainError(_("You are not a judge of this appraisal."), code="not_a_judge")
    ensure(actor, "appraisals.score", judge)
    return judge


@transaction.atomic
def score_enter(*, actor, contestant_id: int, component_id: int, value) -> Score:
    """A judge's own score (评分) of one contestant and component: only while the group's scoring is open, before
    the judge submits it, within the component's range; entering it again changes it. Locks the judge's row (a
    submission and a change cannot cross), then the group's (closing waits for the score, or the score is
    refused). Not audited one by one: the scores stay secret until the group closes; the submission is."""
    contestant = Contestant.objects.select_related("group").filter(pk=contestant_id).first()
    if contestant is None:
        raise DomainError(_("There is no such contestant."), field="contestant")
    judge = _judge_for(actor, contestant.appraisal_id, lock=True)
    group = Group.objects.select_for_update().get(pk=contestant.group_id)
    if group.scoring != Group.Scoring.OPEN:
        raise TransitionNotAllowed(_("The scoring of group “%(group)s” is not open.") % {"group": group.name})
    if not judge.judges_group(group):
        raise DomainError(
            _("You do not judge group “%(group)s”.") % {"group": group.name}, code="other_group"
        )
    if JudgeSubmission.objects.filter(judge=judge, group=group).exists():
        raise TransitionNotAllowed(_("You have submitted your scores of this group: they cannot be changed."))
    component = Component.objects.filter(pk=component_id, appraisal_id=contestant.appraisal_id).first()
    if component is None or component.source != Component.Source.JUDGES:
        raise DomainError(_("Judges do not score this component."), field="component")
    number = _decimal(value, field="value")
    _in_range(component, number)
    score, _created = Score.objects.update_or_create(
        judge=judge,
        contestant=contestant,
        component=component,
        defaults={"value": number, "entered_by": actor},
    )
    return score


@transaction.atomic
def judge_submit(*, actor, group_id: int) -> JudgeSubmission:
    """A judge hands in their scores of a group: every contestant scored in every judged component, while the
    scoring is open, once. Locks the judge's row; the unique submission holds under a race."""
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise DomainError(_("There is no such group."), field="group")
    judge = _judge_for(actor, group.appraisal_id, lock=True)
    group = Group.objects.select_for_update().get(pk=group_id)
    if group.scoring != Group.Scoring.OPEN:
        raise TransitionNotAllowed(_("The scoring of group “%(group)s” is not open.") % {"group": group.name})
    if not judge.judges_group(group):
        raise DomainError(
            _("You do not judge group “%(group)s”.") % {"group": group.name}, code="other_group"
        )
    if JudgeSubmission.objects.filter(judge=judge, group=group).exists():
        raise Conflict(_("You have already submitted your scores of this group."), code="already_submitted")
    expected = (
        group.contestants.count() * group.appraisal.components.filter(source=Component.Source.JUDGES).count()
    )
    given = Score.objects.filter(judge=judge, contestant__group=group).count()
    if given < expected:
        raise DomainError(
            _("%(n)s scores are still missing: score every contestant before submitting.")
            % {"n": expected - given},
            code="incomplete",
        )
    try:
        with transaction.atomic():
            submission = JudgeSubmission.objects.create(judge=judge, group=group, submitted_at=clock.now())
    except IntegrityError:
        raise Conflict(
            _("You have already submitted your scores of this group."), code="already_submitted"
        ) from None
    audit.record(
        actor, "appraisal.judge_submitted", group.appraisal, group=group.pk, judge=judge.label, scores=given
    )
    return submission


@transaction.atomic
def score_set(*, actor, contestant_id: int, component_id: int, value) -> Score:
    """Staff enter a direct score (综合考核评价 ...) of a contestant, before the result is computed."""
    contestant = Contestant.objects.filter(pk=contestant_id).first()
    if contestant is None:
        raise DomainError(_("There is no such contestant."), field="contestant")
    appraisal = _locked(contestant.appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.DRAFT, Status.SCORING, Status.CLOSED)
    component = Component.objects.filter(pk=component_id, appraisal=appraisal).first()
    if component is None or component.source == Component.Source.JUDGES:
        raise DomainError(_("This component is scored by the judges."), field="component")
    number = _decimal(value, field="value")
    _in_range(component, number)
    score, _created = Score.objects.update_or_create(
        judge=None,
        contestant=contestant,
        component=component,
        defaults={"value": number, "entered_by": actor},
    )
    audit.record(
        actor,
        "appraisal.scores_entered",
        appraisal,
        contestant=contestant.pk,
        component=component.code,
        value=str(number),
    )
    return score


IMPORT_HEADERS = ("组别", "参评对象", "评委")


def _read_rows(file) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not .xlsx
        raise DomainError(_("The file is not an Excel workbook (.xlsx)."), field="file") from None
    sheet = workbook.worksheets[0]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


@transaction.atomic
def scores_import(*, actor, appraisal_id: int, file) -> int:
    """Staff import scores from an .xlsx: a header row `组别 | 参评对象 | 评委 | <component name> ...`, then one
    row per contestant (and judge, for the judged components; 评委 empty for the direct and imported ones).
    Every row is checked first; any wrong row refuses the whole file (ImportRefused lists every wrong row) and
    nothing is written. Returns the number of scores written. Judges' scores only once the group's scoring is
    open, and not of a judge who has submitted the group."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.DRAFT, Status.SCORING, Status.CLOSED)
    rows = _read_rows(file)
    if not rows or tuple(str(h or "").strip() for h in rows[0][:3]) != IMPORT_HEADERS:
        raise DomainError(
            _("The first row must be the headings %(headings)s and the components.")
            % {"headings": "、".join(IMPORT_HEADERS)},
            field="file",
        )
    components = {c.name: c for c in appraisal.components.all()}
    header = [str(h or "").strip() for h in rows[0][3:]]
    columns = []
    wrong: list[tuple[int, str]] = []
    for name in header:
        if name and name not in components:
            wrong.append((1, _("There is no component “%(name)s”.") % {"name": name}))
        columns.append(components.get(name))
    groups = {g.name: g for g in appraisal.groups.all()}
    contestants = {(c.group_id, c.name): c for c in appraisal.contestants.all()}
    judges = {j.label: j for j in appraisal.judges.all()}
    submitted = set(
        JudgeSubmission.objects.filter(judge__appraisal=appraisal).values_list("judge_id", "group_id")
    )
    seen: set = set()
    writes: list[tuple[Contestant, Component, Judge | None, Decimal]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (3 + len(columns) - len(row))
        if all(v is None or str(v).strip() == "" for v in cells):
            continue
        group_name, name, label = (str(v or "").strip() for v in cells[:3])
        group = groups.get(group_name)
        if group is None:
            wrong.append((number, _("There is no group “%(name)s”.") % {"name": group_name}))
            continue
        contestant = contestants.get((group.pk, name))
        if contestant is None:
            wrong.append((number, _("There is no contestant “%(name)s” in this group.") % {"name": name}))
            continue
        judge = None
        if label:
            judge = judges.get(label)
            if judge is None:
                wrong.append((number, _("There is no judge “%(name)s”.") % {"name": label}))
                continue
            if not judge.judges_group(group):
                wrong.append((number, _("Judge “%(name)s” does not judge this group.") % {"name": label}))
                continue
            if group.scoring == Group.Scoring.NOT_OPEN:
                wrong.append((number, _("The scoring of this group is not open yet.")))
                continue
            if (judge.pk, group.pk) in submitted:
                wrong.append((number, _("Judge “%(name)s” has submitted this group.") % {"name": label}))
                continue
        for column, value in zip(columns, cells[3:], strict=False):
            if column is None or value is None or str(value).strip() == "":
                continue
            if (column.source == Component.Source.JUDGES) != (judge is not None):
                wrong.append(
                    (
                        number,
                        _("“%(name)s” is scored by the judges: name the judge.")
                        if judge is None
                        else _("“%(name)s” is not scored by the judges: leave the judge empty."),
                    )
                )
                wrong[-1] = (number, wrong[-1][1] % {"name": column.name})
                continue
            try:
                score = _decimal(value, field="file")
                _in_range(column, score)
            except DomainError as problem:
                wrong.append((number, str(problem.message)))
                continue
            key = (contestant.pk, column.pk, judge.pk if judge else None)
            if key in seen:
                wrong.append(
                    (number, _("“%(name)s” of this contestant is given twice.") % {"name": column.name})
                )
                continue
            seen.add(key)
            writes.append((contestant, column, judge, score))
    if wrong:
        raise ImportRefused(wrong)
    for contestant, component, judge, score in writes:
        Score.objects.update_or_create(
            judge=judge,
            contestant=contestant,
            component=component,
            defaults={"value": score, "entered_by": actor},
        )
    audit.record(actor, "appraisal.scores_imported", appraisal, scores=len(writes), rows=len(rows) - 1)
    return len(writes)


# --- results -------------------------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    actor,
    appraisal_id: int,
    tie_order: dict[int, int] | None = None,
    straddle: list[tuple[int, str, list[int]]] | None = None,
) -> Appraisal:
    """The organisers' decision on an unbroken tie: the order of the tied (`tie_order`: contestant id ->
    position) or who takes the seats left where a tie straddles a quota (`straddle`: (group id, tier code,
    contestant ids)). Before publishing; compute again to apply it."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.CLOSED, Status.COMPUTED)
    data = dict(appraisal.decisions or {})
    if tie_order:
        data["tie_order"] = {**data.get("tie_order", {}), **{str(k): int(v) for k, v in tie_order.items()}}
    if straddle:
        kept = [
            s for s in data.get("straddle", []) if (s[0], s[1]) not in {(str(g), t) for g, t, _i in straddle}
        ]
        data["straddle"] = kept + [[str(g), t, sorted(str(i) for i in ids)] for g, t, ids in straddle]
    appraisal.decisions = data
    appraisal.save(update_fields=["decisions", "updated_at"])
    audit.record(actor, "appraisal.decision_recorded", appraisal, decisions=data)
    return appraisal


def _compute(appraisal: Appraisal) -> tuple[rules.Rules, dict, dict, rules.Result]:
    compiled = rules_of(appraisal)
    contestants = inputs_of(appraisal)
    decisions = decisions_of(appraisal)
    result = rules.compute(compiled, contestants, decisions)
    return compiled, inputs_to_dict(contestants, decisions), rules.result_to_dict(result), result


@transaction.atomic
def appraisal_compute(*, actor, appraisal_id: int) -> ResultVersion:
    """Compute totals, ranks, tiers and awards by the rules, once scoring is closed; again after a recorded
    decision (the unpublished version is replaced). Refused with the rules' messages when a score is missing or
    out of range, or judges are too few."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.CLOSED, Status.COMPUTED)
    compiled, inputs, frozen, result = _compute(appraisal)
    appraisal.versions.filter(published_at__isnull=True).delete()
    number = (appraisal.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ResultVersion.objects.create(
        appraisal=appraisal,
        number=number,
        rules=rules.rules_to_dict(compiled),
        inputs=inputs,
        result=frozen,
        computed_by=actor,
        computed_at=clock.now(),
    )
    appraisal.move_to(Status.COMPUTED)
    appraisal.save(update_fields=["status", "updated_at"])
    audit.record(actor, "appraisal.computed", appraisal, version=number, pending=len(result.pending))
    return version


@transaction.atomic
def appraisal_publish(*, actor, appraisal_id: int, objection_ends_on: dt.date) -> Appraisal:
    """Publish (公示) the computed result with the end of its objection period: it is frozen from now on.
    Refused while a tie waits for the organisers' decision."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.COMPUTED)
    version = appraisal.versions.get(is_current=True)
    if version.result["pending"]:
        raise DomainError(
            _("%(n)s ties wait for the organisers' decision: record it and compute again before publishing.")
            % {"n": len(version.result["pending"])},
            code="pending_decision",
        )
    check_planned_date(objection_ends_on, field="objection_ends_on")
    if objection_ends_on is None or objection_ends_on < clock.today():
        raise DomainError(_("The objection period must end today or later."), field="objection_ends_on")
    now = clock.now()
    version.published_at = now
    version.save(update_fields=["published_at"])
    appraisal.move_to(Status.PUBLISHED)
    appraisal.objection_ends_on = objection_ends_on
    appraisal.published_at = now
    appraisal.save(update_fields=["status", "objection_ends_on", "published_at", "updated_at"])
    audit.record(
        actor,
        "appraisal.published",
        appraisal,
        version=version.number,
        objection_ends_on=str(objection_ends_on),
    )
    return appraisal


@transaction.atomic
def appraisal_correct(
    *, actor, appraisal_id: int, reason: str, scores: list[dict[str, Any]] | None = None
) -> ResultVersion:
    """Correct a published result (after an objection): the given scores are changed (`contestant`,
    `component`, `judge` label or None, `value`), the result computed again and published as a new version;
    the old one stays visible, no longer current. The reason is required."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.PUBLISHED)
    reason = clean_text(reason, field="reason", required=True, model=ResultVersion)
    changes = []
    for change in scores or []:
        contestant = appraisal.contestants.filter(pk=change["contestant"]).first()
        component = appraisal.components.filter(pk=change["component"]).first()
        label = change.get("judge") or None
        judge = appraisal.judges.filter(label=label).first() if label else None
        if contestant is None or component is None or (label and judge is None):
            raise DomainError(
                _("A corrected score names no contestant, component or judge of this appraisal.")
            )
        if (component.source == Component.Source.JUDGES) != (judge is not None):
            raise DomainError(_("A judge's score needs its judge; an entered score has none."))
        number = _decimal(change["value"], field="scores")
        _in_range(component, number)
        Score.objects.update_or_create(
            judge=judge,
            contestant=contestant,
            component=component,
            defaults={"value": number, "entered_by": actor},
        )
        changes.append([contestant.pk, component.code, label, str(number)])
    compiled, inputs, frozen, result = _compute(appraisal)
    if result.pending:
        raise DomainError(
            _("%(n)s ties wait for the organisers' decision: record it before correcting.")
            % {"n": len(result.pending)},
            code="pending_decision",
        )
    old = appraisal.versions.select_for_update().get(is_current=True)
    old.is_current = False
    old.save(update_fields=["is_current"])
    now = clock.now()
    version = ResultVersion.objects.create(
        appraisal=appraisal,
        number=old.number + 1,
        rules=rules.rules_to_dict(compiled),
        inputs=inputs,
        result=frozen,
        reason=reason,
        computed_by=actor,
        computed_at=now,
        published_at=now,
    )
    audit.record(
        actor, "appraisal.corrected", appraisal, version=version.number, reason=reason, scores=changes
    )
    return version


def version_recompute(version: ResultVersion) -> dict:
    """The result of a version computed again from its own frozen rules and inputs (it equals `version.result`:
    the rules are pure and the inputs are kept)."""
    contestants, decisions = inputs_from_dict(version.inputs)
    return rules.result_to_dict(rules.compute(rules.rules_from_dict(version.rules), contestants, decisions))


# --- grades (星级评定) -------------------------------------------------------------------------------------------


@transaction.atomic
def grade_grant(
    *, actor, appraisal_id: int, contestant_id: int, valid_from: dt.date, valid_until: dt.date | None = None
) -> Grade:
    """Grant the grade a published grading round gave a contestant (its tier in the current result), with its
    validity. Refused when the result gave none, e.g. without the grade below."""
    appraisal = _locked(appraisal_id)
    ensure(actor, "appraisals.manage", appraisal)
    _require(appraisal, Status.PUBLISHED)
    if appraisal.kind != Appraisal.Kind.GRADING:
        raise DomainError(_("Only a grading round grants grades."))
    contestant = appraisal.contestants.filter(pk=contestant_id).first()
    if contestant is None:
        raise DomainError(_("There is no such contestant."), field="contestant")
    version = appraisal.versions.get(is_current=True)
    row = next(
        c
        for c in version.result["groups"][str(contestant.group_id)]["contestants"]
        if c["id"] == str(contestant.pk)
    )
    compiled = rules.rules_from_dict(version.rules)
    if not row["tier"]:
        best = next(
            (t for t in compiled.tiers if t.threshold is not None and Decimal(row["total"]) >= t.threshold),
            None,
        )
        refusal = (
            rules.grant_refusal(compiled, best.code, holds=contestant.holds, total=Decimal(row["total"]))
            if best
            else _("The total %(total)s reaches no grade.") % {"total": row["total"]}
        )
        raise DomainError(refusal or _("The result gave this contestant no grade."), code="no_grade")
    check_planned_date(valid_from, field="valid_from")
    check_planned_date(valid_until, field="valid_until")
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(_("A grade cannot end before it starts."), field="valid_until")
    tier = next(t for t in compiled.tiers if t.code == row["tier"])
    try:
        with transaction.atomic():
            grade = Grade.objects.create(
                appraisal=appraisal,
                contestant=contestant,
                tier_code=tier.code,
                tier_name=tier.name,
                valid_from=valid_from,
                valid_until=valid_until,
            )
    except IntegrityError:
        raise Conflict(_("This contestant already holds the grade of this round.")) from None
    audit.record(actor, "grade.granted", grade, tier=tier.code, valid_until=str(valid_until or ""))
    return grade


def _grade_locked(actor, grade_id: int) -> Grade:
    grade = (
        Grade.objects.select_for_update().select_related("appraisal__congress").filter(pk=grade_id).first()
    )
    if grade is None:
        raise DomainError(_("There is no such grade."), code="not_found")
    ensure(actor, "appraisals.manage", grade.appraisal)
    return grade


@transaction.atomic
def grade_review_start(*, actor, grade_id: int, reason: str) -> Grade:
    """Put a grade under review (复核)."""
    grade = _grade_locked(actor, grade_id)
    grade.move_to(Grade.Status.UNDER_REVIEW)
    grade.reason = clean_text(reason, field="reason", required=True, model=Grade)
    grade.save(update_fields=["status", "reason", "updated_at"])
    audit.record(actor, "grade.review_started", grade, reason=grade.reason)
    return grade


@transaction.atomic
def grade_confirm(*, actor, grade_id: int) -> Grade:
    """A review ends with the grade kept."""
    grade = _grade_locked(actor, grade_id)
    grade.move_to(Grade.Status.VALID)
    grade.save(update_fields=["status", "updated_at"])
    audit.record(actor, "grade.confirmed", grade)
    return grade


@transaction.atomic
def grade_withdraw(*, actor, grade_id: int, reason: str) -> Grade:
    """Withdraw (撤销) a grade, with the reason."""
    grade = _grade_locked(actor, grade_id)
    grade.move_to(Grade.Status.WITHDRAWN)
    grade.reason = clean_text(reason, field="reason", required=True, model=Grade)
    grade.save(update_fields=["status", "reason", "updated_at"])
    audit.record(actor, "grade.withdrawn", grade, reason=grade.reason)
    return grade
