from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "minsheng.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self):
        from minsheng.common.audit import register_verbs

        # Who may add or rename a place is a rule about people: minsheng/accounts/permissions.py ("places.*").

        register_verbs(
            {
                "place.created": _("added a place"),
                "place.renamed": _("renamed a place"),
                "places.loaded": _("loaded the administrative divisions"),
            }
        )
