"""The administration site: the periodic jobs' runs (read-only)."""

from django.contrib import admin

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "day", "status", "attempts", "enqueued_at", "finished_at"]
    list_filter = ["status", "day"]
    readonly_fields = [f.name for f in JobRun._meta.fields]

    def has_add_permission(self, request):
        return False
