from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.common.paging import paginate

from .forms import PreferenceForm
from .models import Notification
from .services import notification_mark_read, preference_of, preference_save


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


@login_required
def preferences(request):
    """How the user's notifications reach them: in the app always; e-mail, SMS, a daily digest instead."""
    current = preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            preference_save(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(initial={"email": current.email, "sms": current.sms, "digest": current.digest})
    context = {"form": form, "has_email": bool(request.user.email), "has_mobile": bool(request.user.mobile)}
    return render(request, "notifications/preferences.html", context)
