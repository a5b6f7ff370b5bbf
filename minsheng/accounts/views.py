"""Pages of the accounts app. Views translate requests into service calls and results into pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.common import audit
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.export import xlsx_response
from minsheng.common.paging import paginate
from minsheng.common.permissions import can
from minsheng.common.phones import looks_like_mobile

from . import selectors, services
from .forms import DonorFilterForm, DonorRegistrationForm, DonorRejectForm, DonorResubmitForm, SignInForm
from .homes import DONOR_HOME, donor_home_context
from .models import DonorProfile

BACKEND = "minsheng.accounts.backends.UsernameOrMobileBackend"


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def _form_errors_from(form, exc: ValidationError | DomainError) -> None:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    else:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


# --- signing in and out -------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Sign in")}

    def form_valid(self, form):
        response = super().form_valid(form)
        via = "mobile" if looks_like_mobile(form.cleaned_data.get("username", "")) else "username"
        services.signin_record(actor=form.get_user(), via=via)
        return response


class SignOutView(auth_views.LogoutView):
    """POST only (Django refuses GET sign-outs: a link or an image must not sign anyone out)."""

    next_page = reverse_lazy("home")


# --- lock-outs ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def lockouts(request):
    """Locked-out usernames the caller may release; POST `username` lifts one."""
    _require(request, "accounts.view_lockouts")
    if request.method == "POST":
        lock = selectors.lockout_get(request.user, request.POST.get("username", ""))
        services.lockout_lift(actor=request.user, username=lock.username)
        messages.success(request, _("%(username)s can sign in again.") % {"username": lock.shown_as})
        return redirect("accounts:lockouts")
    return render(
        request,
        "accounts/lockouts.html",
        {
            "lockouts": selectors.lockout_list_for(request.user),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
    )


# --- donors -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def donor_register(request):
    """社会力量注册: anyone without an account (or staff on someone's behalf)."""
    _require(request, "accounts.register_donor")
    form = DonorRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = services.donor_register(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                mobile=data["mobile"],
                kind=data["kind"],
                name=data["name"],
                contact_name=data["contact_name"],
                credit_code=data["credit_code"],
                place=data["place"],
            )
        except (ValidationError, DomainError) as exc:
            _form_errors_from(form, exc)
        else:
            if request.user.is_authenticated:
                messages.success(request, _("The donor %(name)s is registered.") % {"name": profile.name})
                return redirect("accounts:donor_detail", profile.pk)
            login(request, profile.user, backend=BACKEND)
            messages.success(
                request,
                _(
                    "Welcome! Your registration awaits verification by the congress staff; this page shows its status."
                ),
            )
            return redirect("home")
    return render(request, "accounts/donor_register.html", {"form": form})


@login_required
def donor_list(request):
    _require(request, "accounts.manage_donors")
    filters = DonorFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    donors = selectors.donor_list_for(
        request.user, status=params.get("status", ""), kind=params.get("kind", ""), q=params.get("q", "")
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            [
                _("Donor name"),
                _("Donor type"),
                _("Unified social credit code"),
                _("Contact person"),
                _("Mobile number"),
                _("Area"),
                _("Status"),
                _("Registered at"),
            ],
            (
                [
                    d.name,
                    d.get_kind_display(),
                    d.credit_code,
                    d.contact_name,
                    d.user.masked_mobile,
                    d.place.name if d.place else "",
                    d.get_status_display(),
                    d.created_at.strftime("%Y-%m-%d %H:%M"),
                ]
                for d in donors
            ),
            filename=_("donors") + ".xlsx",
            title=_("Donors"),
        )
    return render(
        request,
        "accounts/donor_list.html",
        {"filters": filters, **paginate(request, donors), "statuses": DonorProfile.Status},
    )


@login_required
def donor_detail(request, pk: int):
    _require(request, "accounts.manage_donors")
    profile = selectors.donor_get(request.user, pk)
    return render(request, "accounts/donor_detail.html", _donor_detail_context(profile))


def _donor_detail_context(profile, reject_form=None) -> dict:
    return {
        "profile": profile,
        "reject_form": reject_form or DonorRejectForm(),
        "can_review": profile.status == DonorProfile.Status.PENDING,
        "history": audit.history_of(profile)[:50],
    }


@login_required
@require_POST
def donor_verify(request, pk: int):
    _require(request, "accounts.manage_donors")
    profile = selectors.donor_get(request.user, pk)
    try:
        services.donor_verify(actor=request.user, donor_id=profile.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s is verified and may now claim wishes.") % {"name": profile.name}
        )
    return redirect("accounts:donor_detail", profile.pk)


@login_required
@require_POST
def donor_reject(request, pk: int):
    _require(request, "accounts.manage_donors")
    profile = selectors.donor_get(request.user, pk)
    form = DonorRejectForm(request.POST)
    if form.is_valid():
        try:
            services.donor_reject(actor=request.user, donor_id=profile.pk, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.field:
                _form_errors_from(form, exc)
            else:
                messages.error(request, exc.message)
                return redirect("accounts:donor_detail", profile.pk)
        else:
            messages.success(request, _("%(name)s is rejected.") % {"name": profile.name})
            return redirect("accounts:donor_detail", profile.pk)
    return render(request, "accounts/donor_detail.html", _donor_detail_context(profile, form), status=400)


@login_required
@require_POST
def donor_resubmit(request):
    """A rejected donor corrects the registration and asks again; the form sits on the donor's home page."""
    profile = DonorProfile.objects.filter(user=request.user).first()
    _require(request, "accounts.donor_resubmit", profile)
    form = DonorResubmitForm(request.POST)
    if form.is_valid():
        try:
            services.donor_resubmit(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Your registration awaits verification again."))
            return redirect("home")
    context = {**donor_home_context(request.user), "resubmit_form": form}
    return render(request, DONOR_HOME, context, status=400)
