from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "minsheng.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self):
        from minsheng.common.audit import register_verbs

        register_verbs({"demo.built": _("built the demo data")})
