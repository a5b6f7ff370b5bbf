from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from minsheng.common.paging import paginate

from .models import Notification
from .services import notification_mark_read


@login_required
def notification_list(request):
    notes = Notification.objects.filter(user=request.user)
    if request.GET.get("unread"):
        notes = notes.filter(read_at=None)
    return render(request, "notifications/list.html", paginate(request, notes))


@login_required
@require_POST
def notification_read(request, pk: int):
    notification_mark_read(actor=request.user, notification_id=pk)
    note = Notification.objects.filter(pk=pk, user=request.user).first()
    return redirect(note.link if note and note.link.startswith("/") else "notifications:list")
