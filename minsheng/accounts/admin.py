"""The administration site: accounts and donor profiles. Mobile numbers are shown masked in lists; donor
status changes only through the services (the donor pages), so it is read-only here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import DonorProfile, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "display_name",
        "role",
        "masked_mobile_display",
        "congress",
        "unit",
        "is_active",
    ]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "display_name"]
    list_select_related = ["congress", "unit"]
    raw_id_fields = ["congress", "unit", "station", "deputy"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["display_name", "mobile", "email"]}),
        (_("Role and scope"), {"fields": ["role", "congress", "unit", "station", "deputy"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "usable_password", "password1", "password2", "role", "display_name"],
            },
        ),
        (_("Role and scope"), {"fields": ["congress", "unit", "station", "deputy"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description=_("mobile number"))
    def masked_mobile_display(self, user):
        return user.masked_mobile


@admin.register(DonorProfile)
class DonorProfileAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "credit_code",
        "contact_name",
        "masked_mobile_display",
        "status",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["name", "credit_code", "contact_name", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "place"]
    readonly_fields = ["status", "reviewed_by", "reviewed_at", "reject_reason", "created_at", "updated_at"]

    @admin.display(description=_("mobile number"))
    def masked_mobile_display(self, profile):
        return profile.user.masked_mobile
