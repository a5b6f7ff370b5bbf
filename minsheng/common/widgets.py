"""Widgets of the pickers that search (issue 12; `pickers.py` answers them).

`SearchSelect` and `SearchSelectMultiple` render a plain <select> with the form's own choices, so a page works
without JavaScript and the field validates against its queryset exactly as before; `static/minsheng/pickers.js`
turns each into a Tom Select type-ahead over `/api/v1/pick/<kind>/?for=<context>` (keyboard: type, arrows,
Enter; Backspace removes the last chosen)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class _SearchMixin:
    def __init__(
        self, *args, kind: str, context: str = "", placeholder=None, short: int | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.context = context
        self.placeholder = placeholder
        self.short = (
            short  # a list longer than this renders only its chosen options (the type-ahead finds the rest)
        )

    def optgroups(self, name, value, attrs=None):
        if self.short is None:
            return super().optgroups(name, value, attrs)
        choices = list(self.choices)
        if len(choices) > self.short:
            chosen = {str(v) for v in value}
            self.choices = [(v, label) for v, label in choices if str(v) == "" or str(v) in chosen]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices

    def pick_for(self, context: str) -> None:
        """The form's context, known once the form has its object (`cosign:<case id>`); `{field}` stands for
        the current value of another field of the form (`record:{seat}`)."""
        self.context = context

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-pick-url"] = reverse(f"api:pick-{self.kind}")
        widget_attrs["data-pick-for"] = self.context
        widget_attrs["data-pick-placeholder"] = str(
            self.placeholder or _("Type a name or its pinyin initials")
        )
        widget_attrs["data-pick-empty"] = str(_("Nothing found"))
        return context


class SearchSelect(_SearchMixin, forms.Select):
    """One choice, searched: `SearchSelect(kind="places", context="record:{seat}")`."""


class SearchSelectMultiple(_SearchMixin, forms.SelectMultiple):
    """Several choices, searched: `SearchSelectMultiple(kind="deputies", context="cosign:12")`."""
