from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "minsheng.imports"
    label = "imports"
    verbose_name = _("Roster imports")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions, selectors  # noqa: F401 (selectors registers the reader imports.latest)

        register_verbs(
            {
                "import.started": _("started a roster import"),
                "import.refused": _("a roster import was refused"),
                "import.completed": _("a roster import completed"),
                "import.failed": _("a roster import failed"),
            }
        )
