"""Reads for the imports pages and API, always scoped to the caller."""

from django.db.models import Q, QuerySet

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.common.readers import register_reader
from minsheng.congresses.models import Congress

from .models import ImportJob


def import_list_for(actor) -> QuerySet[ImportJob]:
    """The imports a person may see: admins all; staff those of the congresses they cover and their own."""
    prefix = staff_scope_prefix(actor)
    jobs = ImportJob.objects.select_related("congress", "created_by")
    if prefix is None:
        return jobs.none()
    if prefix == "":
        return jobs
    return jobs.filter(Q(congress__region_prefix__startswith=prefix) | Q(created_by=actor))


def import_congresses_for(actor) -> QuerySet[Congress]:
    """The congresses a person may import rosters into (the import form's choices)."""
    prefix = staff_scope_prefix(actor)
    congresses = Congress.objects.order_by("region_prefix", "name")
    if prefix is None:
        return congresses.none()
    if prefix == "":
        return congresses
    return congresses.filter(region_prefix__startswith=prefix)


@register_reader("imports.latest")
def import_latest(*, region_prefix: str = "", limit: int = 5) -> list[ImportJob]:
    """The latest imports into the congresses of a region ("": every one), for the home pages (insights)."""
    jobs = ImportJob.objects.select_related("congress", "created_by").order_by("-created_at")
    if region_prefix:
        jobs = jobs.filter(congress__region_prefix__startswith=region_prefix)
    return list(jobs[:limit])
