"""`{% reception_origin case %}`: the line on a case's page that says which reception it came from, shown
only to those who may read that reception (the cases app needs nothing else)."""

from django import template

from minsheng.common.permissions import can

from ..models import Reception

register = template.Library()


@register.inclusion_tag("stations/_case_origin.html", takes_context=True)
def reception_origin(context, case) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    receptions = [
        r
        for r in Reception.objects.filter(case=case)
        .select_related("station__place")
        .order_by("received_at", "id")
        if can(user, "stations.view_reception", r)
    ]
    return {"receptions": receptions}
