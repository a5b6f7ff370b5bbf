"""The writes of campaigns (集中履职月): create one, edit it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.common import audit
from minsheng.common import validators as checks
from minsheng.common.errors import DomainError
from minsheng.common.permissions import ensure
from minsheng.congresses.models import Congress

from .models import Campaign

FIELDS = (
    "name",
    "slogan",
    "theme",
    "starts_on",
    "ends_on",
    "target_receptions_per_station",
    "target_participation_percent",
    "target_wishes",
    "target_funds",
)


def _clean(values: dict) -> dict:
    out = dict(values)
    out["name"] = checks.clean_text(
        values.get("name"),
        field="name",
        required=True,
        model=Campaign,
        message=_("Give the campaign a name."),
    )
    out["slogan"] = checks.clean_text(values.get("slogan"), field="slogan", model=Campaign)
    out["theme"] = checks.clean_text(values.get("theme"), field="theme", limit=checks.NOTE)
    starts_on: dt.date | None = values.get("starts_on")
    ends_on: dt.date | None = values.get("ends_on")
    if starts_on is None:
        raise DomainError(_("Enter the first day of the campaign."), field="starts_on", code="required")
    if ends_on is None:
        raise DomainError(_("Enter the last day of the campaign."), field="ends_on", code="required")
    checks.check_planned_date(starts_on, field="starts_on")
    checks.check_planned_date(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise DomainError(
            _("The campaign cannot end before it starts."), field="ends_on", code="ends_before_start"
        )
    for field in ("target_receptions_per_station", "target_participation_percent", "target_wishes"):
        value = values.get(field)
        if value is not None and int(value) < 0:
            raise DomainError(_("A target cannot be negative."), field=field, code="negative")
    percent = values.get("target_participation_percent")
    if percent is not None and int(percent) > 100:
        raise DomainError(
            _("The share of deputies cannot be more than 100%."),
            field="target_participation_percent",
            code="over_100",
        )
    funds = values.get("target_funds")
    if funds is not None and Decimal(funds) < 0:
        raise DomainError(_("A target cannot be negative."), field="target_funds", code="negative")
    return {k: out.get(k) for k in FIELDS}


@transaction.atomic
def campaign_create(*, actor: User, congress: Congress, **values) -> Campaign:
    """A campaign of `congress` (it covers every congress below it), by its staff."""
    ensure(actor, "activities.create_campaign", congress)
    campaign = Campaign.objects.create(congress=congress, created_by=actor, **_clean(values))
    audit.record(actor, "campaign.created", campaign, congress=congress.pk)
    return campaign


@transaction.atomic
def campaign_update(*, actor: User, campaign_id: int, **values) -> Campaign:
    """Edit a campaign's name, slogan, theme, period and targets. Locks the row."""
    campaign = Campaign.objects.select_for_update().select_related("congress").get(pk=campaign_id)
    ensure(actor, "activities.edit_campaign", campaign)
    current = {field: getattr(campaign, field) for field in FIELDS}
    cleaned = _clean({**current, **values})
    changed = [field for field in FIELDS if cleaned[field] != current[field]]
    for field in changed:
        setattr(campaign, field, cleaned[field])
    if changed:
        campaign.save(update_fields=[*changed, "updated_at"])
        audit.record(actor, "campaign.updated", campaign, fields=changed)
    return campaign
