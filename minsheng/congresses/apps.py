from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressesConfig(AppConfig):
    name = "minsheng.congresses"
    label = "congresses"
    verbose_name = _("Congresses")

    def ready(self):
        from minsheng.common.audit import register_verbs
        from minsheng.places.signals import place_renamed

        from . import permissions  # noqa: F401
        from .services import congress_follow_place_rename

        place_renamed.connect(congress_follow_place_rename, dispatch_uid="congress-follows-place-rename")

        register_verbs(
            {
                "congresses.built": _("built the congresses of a region"),
                "term.created": _("added a term"),
                "session.created": _("added a session"),
            }
        )
