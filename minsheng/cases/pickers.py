"""The pickers of the case forms (issue 12), registered with `common.pickers` in `CasesConfig.ready()`. Each
scope is the one its form validates against (forms.py), reused:

- deputies `cosign:<case id>`: the co-signers of the filing form (`cosigner_choices`), the deputies of the lead
  deputy's delegation or group in the congress first; for whoever may file the case (another's case: 404, as for the rules below).
- units `assign:<case id>`: the units of 交办 and reassignment (`actions.units_for_assigning`), those most often
  assigned to cases of the same kind and category of the congress first; for the congress's staff.
- places `record:<seat id>`: the places of a new case recorded under that seat (one of `seats_for_recording`);
  `case:<case id>`: the places of a case being corrected (`cases.edit`).
"""

from django.core.cache import cache
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _

from minsheng.common import pickers
from minsheng.common.permissions import can
from minsheng.deputies.models import Seat

from .actions import units_for_assigning
from .forms import cosigner_choices, places_within_queryset, seats_for_recording
from .models import Assignment, Case

LIKELY_UNITS = 10
# The likely units are a count over the congress's past assignments (760 ms on 广州市's at Guangdong scale,
# docs/BENCHMARKS.md "Pickers"): counted once per congress, kind and category, then kept this long, so the
# keystrokes after the first read it from the cache.
LIKELY_SECONDS = 600


def _case(actor, argument: str, action: str) -> Case:
    """The case the form is for, when the actor may do the form's action on it; 404 otherwise (each of these
    rules implies seeing the case: asking it is cheaper than the list scope of `selectors.case_get_for`)."""
    case = Case.objects.select_related("congress").filter(pk=pickers.parse_id(argument)).first()
    if case is None or not can(actor, action, case):
        raise Http404
    return case


@pickers.register("deputies", "cosign")
def cosigners(actor, argument: str) -> pickers.Choices:
    case = _case(actor, argument, "cases.file")
    delegation = (
        Seat.objects.filter(
            deputy_id=case.lead_deputy_id, congress_id=case.congress_id, status=Seat.Status.ACTIVE
        )
        .exclude(delegation="")
        .values_list("delegation", flat=True)
        .first()
    )
    likely = []
    if delegation:
        likely = list(
            Seat.objects.filter(
                congress_id=case.congress_id, status=Seat.Status.ACTIVE, delegation=delegation
            )
            .exclude(deputy_id=case.lead_deputy_id)
            .order_by("deputy__name_sort")
            .values_list("deputy_id", flat=True)[: pickers.MAX_LIKELY]
        )
    return pickers.Choices(
        queryset=cosigner_choices(case).only("id", "name"),
        likely=likely,
        hint=lambda deputy, first: delegation if first else "",
    )


@pickers.register("units", "assign")
def assigned_units(actor, argument: str) -> pickers.Choices:
    case = _case(actor, argument, "cases.review")
    units = units_for_assigning(case)  # depends on the case's congress only: the cache key's
    key = f"pickers:assign:{case.congress_id}:{case.kind}:{case.category}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(
            Assignment.objects.filter(
                case__congress_id=case.congress_id,
                case__kind=case.kind,
                case__category=case.category,
                unit__in=units.values("pk"),
            )
            .values("unit_id")
            .annotate(n=Count("id"))
            .order_by("-n", "unit_id")
            .values_list("unit_id", "n")[:LIKELY_UNITS]
        )
        cache.set(key, counts, LIKELY_SECONDS)
    return pickers.Choices(
        queryset=units,
        likely=list(counts),
        hint=lambda unit, first: (
            _("often assigned for cases like this (%(n)s)") % {"n": counts[unit.pk]}
            if first
            else unit.place.name
        ),
        contains=True,
    )


def _places(prefix: str) -> pickers.Choices:
    places = (
        places_within_queryset([prefix])
        .select_related("parent")
        .only("id", "code", "name", "level", "parent__name")
    )
    return pickers.Choices(
        queryset=places,
        hint=lambda place, first: place.parent.name if place.parent_id else "",
        contains=True,
    )


@pickers.register("places", "record")
def recording_places(actor, argument: str) -> pickers.Choices:
    seat = seats_for_recording(actor).filter(pk=pickers.parse_id(argument)).first()
    if seat is None:
        raise Http404
    return _places(seat.congress.region_prefix)


@pickers.register("places", "case")
def case_places(actor, argument: str) -> pickers.Choices:
    case = _case(actor, argument, "cases.edit")
    return _places(case.congress.region_prefix)
