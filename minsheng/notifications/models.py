import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.crypto import EncryptedCharField
from minsheng.common.models import TransitionsMixin


class Notification(models.Model):
    """An in-app message to one user (reminders, new assignments). E-mail and SMS copies go out on commit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # What the notification is about, for a job that must tell each user once even if it runs twice
    # (`notify(key=...)`): e.g. "assignment:<id>". Empty: no such promise.
    key = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="one_notification_per_user_and_key"
            )
        ]

    def __str__(self) -> str:
        return self.text


class OutboundMessage(TransitionsMixin, models.Model):
    """An e-mail or SMS waiting to leave, written in the same transaction as its notification (the outbox):
    `outbox.outbox_deliver` sends it with retries and records the gateway's answer (README: the outbox)."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Outcome unknown")

    TRANSITIONS = {
        Status.PENDING: {Status.SENDING, Status.FAILED},
        Status.SENDING: {Status.SENT, Status.PENDING, Status.FAILED, Status.UNKNOWN},
        Status.UNKNOWN: {Status.PENDING},  # staff decide to send it again (admin)
        Status.FAILED: {Status.PENDING},
    }

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    address = EncryptedCharField(_("address"), max_length=254)  # a mobile or an e-mail address: personal data
    subject = models.CharField(_("subject"), max_length=80, blank=True)
    text = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    gateway_answer = models.CharField(_("gateway's answer"), max_length=200, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        constraints = [checks.encrypted_length_constraint("address", 254, name="outbox_address_max_length")]

    def __str__(self) -> str:
        return f"{self.channel} {self.reference} {self.status}"
