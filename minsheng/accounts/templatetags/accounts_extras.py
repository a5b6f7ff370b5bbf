import datetime as dt

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value) -> str:
    """A timedelta in words, to the minute: '1 hour', '1 hour 30 minutes', '45 minutes'."""
    if not isinstance(value, dt.timedelta):
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)
