"""The pickers of deputies of the reception form and of a reception day's schedule (issue 12), registered with `common.pickers` in
`ActivitiesConfig.ready()`: deputies `reception:<station id>` are the deputies the form accepts
(`selectors.reception_deputy_choices`), today's deputies on duty there first (`selectors.duty_deputy_ids`); for
whoever may record receptions at the station (`activities.receive`)."""

from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role
from minsheng.common import clock, pickers
from minsheng.common.permissions import ensure
from minsheng.stations.selectors import station_get_for

from . import activity_selectors, selectors


@pickers.register("deputies", "reception")
def reception_deputies(actor, argument: str) -> pickers.Choices:
    station = station_get_for(actor, pickers.parse_id(argument))
    ensure(actor, "activities.receive", station)
    return pickers.Choices(
        queryset=selectors.reception_deputy_choices(station),
        likely=selectors.duty_deputy_ids(station, clock.today()),
        hint=lambda deputy, first: _("on duty today") if first else "",
    )


@pickers.register("deputies", "reception_day")
def reception_day_deputies(actor, argument: str) -> pickers.Choices:
    """Deputies `reception_day:<station id>`: those the schedule accepts (the station's deputies), for whoever
    may schedule its reception days (`activities.schedule_days`)."""
    station = station_get_for(actor, pickers.parse_id(argument))
    ensure(actor, "activities.schedule_days", station)
    return pickers.Choices(queryset=selectors.reception_deputy_choices(station))


@pickers.register("units", "referral")
def referral_units(actor, argument: str) -> pickers.Choices:
    """Units `referral:<station id>`: those a reception's matter may be sent to (`selectors.referral_units`), for
    whoever may record receptions at the station (`activities.receive`)."""
    station = station_get_for(actor, pickers.parse_id(argument))
    ensure(actor, "activities.receive", station)
    return pickers.Choices(queryset=selectors.referral_units(station), contains=True)


@pickers.register("deputies", "invite")
def invite_deputies(actor, argument: str) -> pickers.Choices:
    """Deputies `invite:<activity id>`: those its page may invite (`activity_selectors.invitable_deputies`), for
    whoever may edit the activity (`activities.edit_activity`)."""
    activity = activity_selectors.activity_get_for(actor, pickers.parse_id(argument))
    ensure(actor, "activities.edit_activity", activity)
    return pickers.Choices(queryset=activity_selectors.invitable_deputies(activity))


@pickers.register("places", "activity")
def activity_places(actor, argument: str) -> pickers.Choices:
    """Places `activity:` (a new activity: the places of the actor's region) or `activity:<id>` (that activity's
    congress's region), as the activity form accepts them; for who may plan or edit it."""
    if argument:
        activity = activity_selectors.activity_get_for(actor, pickers.parse_id(argument))
        ensure(actor, "activities.edit_activity", activity)
        prefix = activity.congress.region_prefix
    else:
        ensure(actor, "activities.create_activity")
        prefix = (
            actor.congress.region_prefix if has_role(actor, Role.CONGRESS_STAFF) and actor.congress_id else ""
        )
    places = activity_selectors.activity_places(prefix).select_related("parent")
    return pickers.Choices(
        queryset=places.only("id", "code", "name", "level", "parent__name"),
        hint=lambda place, first: place.parent.name if place.parent_id else "",
        contains=True,
    )
