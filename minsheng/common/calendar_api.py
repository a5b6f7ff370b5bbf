"""The working-day calendar over the API: `GET /api/v1/calendar/` (the years), `GET /api/v1/calendar/{year}/`
(a year's schedule, official or provisional, with the days off and working weekends), `PUT` the same to enter
the official schedule (the rule `calendar.edit`, the same service as the page)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from . import clock, services, workdays
from .api import ERRORS, Can
from .models import WorkCalendarYear


class CalendarDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    kind = serializers.ChoiceField(choices=workdays.DayKind.choices)
    festival = serializers.ChoiceField(choices=workdays.Festival.choices, required=False, allow_blank=True)


class CalendarYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    official = serializers.BooleanField(
        read_only=True, help_text="False: provisional, weekends and festivals by rule"
    )
    source = serializers.CharField(read_only=True, allow_blank=True)
    notice_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notice_date = serializers.DateField(required=False, allow_null=True)
    days = CalendarDaySerializer(many=True, max_length=400)


def _year_data(year: int) -> dict:
    row = WorkCalendarYear.objects.filter(year=year).first()
    sched = workdays.schedule(year)
    days = [{"day": d, "kind": "off", "festival": f} for d, f in sched.off.items()]
    days += [{"day": d, "kind": "work", "festival": ""} for d in sched.work]
    return {
        "year": year,
        "official": sched.official,
        "source": row.source if row else "",
        "notice_number": row.notice_number if row else "",
        "notice_date": row.notice_date if row else None,
        "days": sorted(days, key=lambda d: d["day"]),
    }


class CalendarViewSet(viewsets.ViewSet):
    """The official holiday schedules and the provisional years."""

    lookup_field = "year"
    lookup_value_regex = r"[0-9]{4}"

    def get_permissions(self):
        return [Can.to("calendar.edit" if self.action == "update" else "calendar.view")()]

    @extend_schema(responses={**ERRORS, 200: CalendarYearSerializer(many=True)})
    def list(self, request):
        """The years the deadlines of open work fall in, as the calendar page lists them: three back, two ahead."""
        today = clock.today()
        years = range(today.year - 3, today.year + 3)
        return Response(CalendarYearSerializer([_year_data(y) for y in years], many=True).data)

    @extend_schema(responses={**ERRORS, 200: CalendarYearSerializer})
    def retrieve(self, request, year=None):
        year = int(year)
        if not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
            raise NotFound()
        return Response(CalendarYearSerializer(_year_data(year)).data)

    @extend_schema(request=CalendarYearSerializer, responses={**ERRORS, 200: CalendarYearSerializer})
    def update(self, request, year=None):
        year = int(year)
        data = CalendarYearSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.calendar_year_enter(
            actor=request.user,
            year=year,
            days=[workdays.DayEntry(d["day"], d["kind"], d.get("festival", "")) for d in v["days"]],
            notice_number=v.get("notice_number", ""),
            notice_date=v.get("notice_date"),
        )
        return Response(CalendarYearSerializer(_year_data(year)).data)


routes = [("calendar", CalendarViewSet, "calendar")]
