"""The administration site: the outbox (what left, what failed, what a crash left of unknown outcome; the
periodic jobs' runs are in minsheng/common/admin.py). Read-only, except "send again" for messages whose outcome is unknown or that failed."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minsheng.common.jobs import enqueue_unless_waiting

from .models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "channel", "user", "status", "attempts", "created_at", "sent_at", "gateway_answer"]
    list_filter = ["status", "channel"]
    exclude = ["address"]  # personal data: the user's page shows it to who may see it
    readonly_fields = [f.name for f in OutboundMessage._meta.fields if f.name != "address"]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again (outcome unknown or failed)"))
    def send_again(self, request, queryset):
        from .tasks import outbox_send

        count = queryset.filter(
            status__in=[OutboundMessage.Status.UNKNOWN, OutboundMessage.Status.FAILED]
        ).update(
            status=OutboundMessage.Status.PENDING, next_attempt_at=timezone.now(), updated_at=timezone.now()
        )
        if count:
            enqueue_unless_waiting(outbox_send)
        self.message_user(request, _("%(n)d message(s) will be sent again.") % {"n": count})
