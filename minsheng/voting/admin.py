"""The administration site: each congress's own voting rules (quorum, tie rule). Empty fields keep the
default (settings.MINSHENG["VOTING_RULES"], then the law's in voting/rules.py). A vote copies the rules when it
is prepared, so a change applies to votes prepared afterwards."""

from django.contrib import admin

from .models import VotingRules


@admin.register(VotingRules)
class VotingRulesAdmin(admin.ModelAdmin):
    list_display = ["congress", "quorum", "tie_rule"]
    list_select_related = ["congress"]
    raw_id_fields = ["congress"]
    search_fields = ["congress__name"]
