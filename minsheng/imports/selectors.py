"""Reads for the imports pages and API, always scoped to the caller."""

from django.db.models import Q, QuerySet

from minsheng.accounts.permissions import staff_scope_prefix
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
