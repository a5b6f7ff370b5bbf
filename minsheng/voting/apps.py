from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "minsheng.voting"
    label = "voting"
    verbose_name = _("Livelihood project votes")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions  # noqa: F401

        register_verbs(
            {
                "solicitation.created": _("opened a solicitation window"),
                "solicitation.opened": _("opened the solicitation"),
                "solicitation.closed": _("closed the solicitation"),
                "proposal.submitted": _("proposed a project"),
                "proposal.screened": _("screened a proposal"),
                "candidate.added": _("added a candidate project"),
                "vote.created": _("prepared a vote"),
                "vote.opened": _("opened the ballot"),
                "vote.checked_in": _("checked a deputy in"),
                "vote.ballot_cast": _("a ballot was cast"),  # records before the sealed box (issue 9)
                "vote.voted": _("voted (the ballot is sealed)"),
                "vote.paper_collected": _("collected a paper ballot in the hall"),
                "vote.paper_entered": _("entered a paper ballot"),
                "vote.closed": _("closed the ballot"),
                "vote.published": _("published the result"),
                "vote.runoff_decided": _("recorded the presidium's decision on a further ballot"),
            }
        )
