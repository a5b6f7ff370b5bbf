from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.common.forms import BootstrapForm
from minsheng.congresses.models import Congress

from . import selectors
from .models import Unit


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.congress.name})"


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=50)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Unit.Level.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Unit.Kind.choices]
    )
    congress = forms.ModelChoiceField(
        label=_("Supervising congress"),
        required=False,
        empty_label=_("All congresses"),
        queryset=Congress.objects.filter(units__isnull=False).distinct().order_by("region_prefix"),
    )
    region = forms.RegexField(
        label=_("Region code"),
        required=False,
        regex=r"^[0-9]{2,12}$",
        max_length=12,
        help_text=_("A place code prefix, e.g. 440781 for 台山市."),
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active and inactive")), ("yes", _("Active")), ("no", _("Inactive"))],
    )

    def filters(self) -> dict:
        """The valid filters as keyword arguments of `selectors.unit_list`."""
        self.is_valid()
        data = self.cleaned_data  # the valid fields; an invalid filter is shown on the form and ignored
        congress = data.get("congress")
        active = data.get("active")
        return {
            "q": data.get("q", ""),
            "level": data.get("level", ""),
            "kind": data.get("kind", ""),
            "congress_id": congress.pk if congress else None,
            "region": data.get("region", ""),
            "active": {"yes": True, "no": False}.get(active or ""),
        }


class UnitForm(BootstrapForm):
    name = forms.CharField(label=_("Full name"), max_length=100)
    short_name = forms.CharField(label=_("Short name"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices)
    place = PlaceChoiceField(
        label=_("Place"),
        queryset=None,
        help_text=_("The city, county or township whose congress supervises the unit."),
    )
    parent = UnitChoiceField(label=_("Parent unit"), queryset=None, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, actor, unit: Unit | None = None, **kwargs):
        if unit is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": unit.name,
                    "short_name": unit.short_name,
                    "kind": unit.kind,
                    "place": unit.place_id,
                    "parent": unit.parent_id,
                    "is_active": unit.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        places = selectors.unit_place_choices(actor)
        parents = selectors.unit_parent_choices(actor)
        if unit is not None:
            # Keep the unit's present place and parent choosable even when they lie outside the actor's region.
            places = places | places.model.objects.filter(pk=unit.place_id)
            parents = (parents | parents.model.objects.filter(pk=unit.parent_id)).exclude(pk=unit.pk)
        self.fields["place"].queryset = places
        self.fields["parent"].queryset = parents.select_related("congress")
