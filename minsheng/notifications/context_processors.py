"""The navigation's notifications link with the unread count, on every page (base.html).

One query (`COUNT` over the `notification_unread_idx` index), run only when a template reads the count and at
most once per request (`request._unread_notifications`); nothing for a visitor who is not signed in."""

from functools import cached_property

from .services import unread_count


class UnreadNotifications:
    """`{{ unread_notifications.count }}`, `{{ unread_notifications.label }}` ("99+" beyond 99)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return unread_count(self.user)

    @property
    def label(self) -> str:
        return "99+" if self.count > 99 else str(self.count)


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    holder = getattr(request, "_unread_notifications", None)
    if holder is None or holder.user is not user:
        holder = request._unread_notifications = UnreadNotifications(user)
    return {"unread_notifications": holder}
