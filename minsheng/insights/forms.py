"""The filters of the statistics page and its export."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.cases.models import Case
from minsheng.cases.selectors import case_scope_for
from minsheng.congresses.models import Congress

from . import stats


class StatsFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year filed"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    congress = forms.ModelChoiceField(
        label=gettext_lazy("Congress"),
        queryset=Congress.objects.none(),
        required=False,
        empty_label=gettext_lazy("All congresses"),
    )

    def __init__(self, data, *, actor):
        super().__init__(data)
        self.fields["year"].choices = [("", _("All years"))] + [
            (y, str(y)) for y in stats.stats_years_for(actor)
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *Case.Kind.choices]
        with_cases = case_scope_for(actor).filter(congress=OuterRef("pk"), filed_at__isnull=False)
        self.fields["congress"].queryset = Congress.objects.filter(Exists(with_cases)).order_by(
            "region_prefix"
        )

    def filters(self) -> dict:
        """The valid filters (a wrong one is shown as an error and ignored)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("year"),
            "kind": data.get("kind") or "",
            "congress_id": data["congress"].pk if data.get("congress") else None,
        }
