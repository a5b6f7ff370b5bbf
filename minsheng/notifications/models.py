import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.crypto import EncryptedCharField
from minsheng.common.models import TransitionsMixin

DIGEST_EMAIL_LENGTH = 4000


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
    # 300 characters for a notification's copy; a daily digest by e-mail holds many (DIGEST_EMAIL_LENGTH).
    text = models.CharField(_("message"), max_length=DIGEST_EMAIL_LENGTH)
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


class Preference(models.Model):
    """How one user wants the copies of their notifications: in the app always; by e-mail and by SMS each on or
    off; and, with `digest`, the e-mail/SMS copies held and sent once a day as one message per channel
    (digests.py). A user without a row has `defaults_for(user)`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    digest = models.BooleanField(_("a daily digest instead"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: email={self.email} sms={self.sms} digest={self.digest}"

    @classmethod
    def defaults_for(cls, user) -> "Preference":
        """What a user who never chose gets: e-mail on where the account has an address, SMS on where it has a
        mobile number (a deputy's, a handler's: as before preferences existed), no digest. Not saved."""
        return cls(user=user, email=True, sms=bool(getattr(user, "mobile", "")), digest=False)


class Digest(models.Model):
    """One day's digest of one user on one channel: unique per user, channel and day, so that the daily job run
    twice sends it once (digests.py). `message` is its outbox row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=5, choices=OutboundMessage.Channel.choices)
    day = models.DateField(_("day"), editable=False)  # the job's day (clock.today())
    message = models.ForeignKey(
        OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "channel", "day"], name="one_digest_per_user_channel_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel} {self.day}"


class DigestItem(models.Model):
    """An e-mail or SMS copy of a notification held for its user's daily digest (`Preference.digest`); `digest`
    is set when the daily job put it in one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="digest_items")
    channel = models.CharField(_("channel"), max_length=5, choices=OutboundMessage.Channel.choices)
    digest = models.ForeignKey(Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        ordering = ["id"]
        indexes = [models.Index(fields=["digest", "user", "channel"], name="digest_item_waiting_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel} {self.notification_id}"
