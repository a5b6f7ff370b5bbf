from django import template

register = template.Library()


@register.filter
def congress_short(name) -> str:
    """'台山市人民代表大会' → '台山市' (badges on narrow screens); the full name stays in the title."""
    name = str(name or "")
    return name.removesuffix("人民代表大会") or name
