"""The pickers of deputies of the reception form and of a reception day's schedule (issue 12), registered with `common.pickers` in
`ActivitiesConfig.ready()`: deputies `reception:<station id>` are the deputies the form accepts
(`selectors.reception_deputy_choices`), today's deputies on duty there first (`selectors.duty_deputy_ids`); for
whoever may record receptions at the station (`activities.receive`)."""

from django.utils.translation import gettext as _

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
