"""The reception form's picker of deputies (issue 12), registered with `common.pickers` in
`ActivitiesConfig.ready()`: deputies `reception:<station id>` are the deputies the form accepts
(`selectors.reception_deputy_choices`), today's deputies on duty there first (`selectors.duty_deputy_ids`); for
whoever may record receptions at the station (`activities.receive`)."""

from django.utils.translation import gettext as _

from minsheng.common import clock, pickers
from minsheng.common.permissions import ensure
from minsheng.stations.selectors import station_get_for

from . import selectors


@pickers.register("deputies", "reception")
def reception_deputies(actor, argument: str) -> pickers.Choices:
    station = station_get_for(actor, pickers.parse_id(argument))
    ensure(actor, "activities.receive", station)
    return pickers.Choices(
        queryset=selectors.reception_deputy_choices(station),
        likely=selectors.duty_deputy_ids(station, clock.today()),
        hint=lambda deputy, first: _("on duty today") if first else "",
    )
