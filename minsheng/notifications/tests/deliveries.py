"""What reached a user, for the delivery tests of every app: the in-app notification, the e-mail in Django's
locmem outbox and the SMS in the recording gateway, after the outbox's sender ran. Import the fixture by
name: `from minsheng.notifications.tests.deliveries import sms_recorder  # noqa: F401`."""

from dataclasses import dataclass, field

import pytest
from django.core import mail

from minsheng.notifications.models import Notification
from minsheng.notifications.outbox import outbox_deliver

from .gateways import RecordingGateway


@pytest.fixture
def sms_recorder(settings):
    """The SMS gateway of the tests (and of the demo's idea): every message kept in a list."""
    settings.SMS_GATEWAY = "minsheng.notifications.tests.gateways.RecordingGateway"
    RecordingGateway.sent = []
    RecordingGateway.fail_next = []
    mail.outbox = []
    return RecordingGateway


@dataclass
class Delivered:
    notes: list = field(default_factory=list)  # in-app texts
    links: list = field(default_factory=list)
    emails: list = field(default_factory=list)  # (subject, body)
    sms: list = field(default_factory=list)  # texts


def delivered_to(user) -> Delivered:
    """Send what is due (the sender task's work), then say what reached `user` on each channel."""
    outbox_deliver()
    got = Delivered()
    for note in Notification.objects.filter(user=user).order_by("id"):
        got.notes.append(note.text)
        got.links.append(note.link)
    got.emails = [(m.subject, m.body) for m in mail.outbox if user.email and user.email in m.to]
    got.sms = [m["text"] for m in RecordingGateway.sent if user.mobile and m["mobile"] == user.mobile]
    return got
