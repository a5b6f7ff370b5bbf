"""The demo's accounts: one for each role, in Jiangmen, with one shared password that is printed once.

The public needs no account. The deputy `deputy` (曾丽) holds seats in the city congress and in 海宴镇's
congress and signs in with her username or her mobile number; `provincial_deputy` is a deputy of the provincial
congress living in the region (with a city seat too where the demo has one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from .generator import Generator, Written, short_county_name

# Meets AUTH_PASSWORD_VALIDATORS (10+ characters, not common, not numeric, unlike the usernames); checked
# again when the accounts are made.
PASSWORD = "Minsheng-2026!"
HOME_URL = "http://127.0.0.1:8000/"

CITY = "440700"
TAISHAN = "440781"
HAIYAN = "440781111"
HAIYAN_VILLAGE = "五丰村"


@dataclass(frozen=True)
class Login:
    username: str
    role: str


LOGINS = [
    Login("admin", "admin"),
    Login("city_staff", "congress_staff"),
    Login("taishan_staff", "congress_staff"),
    Login("haiyan_staff", "congress_staff"),
    Login("deputy", "deputy"),
    Login("town_deputy", "deputy"),
    Login("provincial_deputy", "deputy"),
    Login("station_staff", "station_staff"),
    Login("handler_minzheng", "unit_handler"),
    Login("handler_jiaoyu", "unit_handler"),
    Login("donor", "donor"),
    Login("donor_pending", "donor"),
]
USERNAMES = [login.username for login in LOGINS]


def provincial_deputy():
    """The demo's provincial deputy: one with a seat in the provincial congress, and a city seat too where the
    demo has one (a provincial deputy of the region who is also a city deputy)."""
    from minsheng.deputies.models import Deputy, Seat

    provincial = Seat.objects.filter(congress__level="provincial").values("deputy_id")
    with_city = Deputy.objects.filter(pk__in=provincial, seats__congress__level="city").order_by("pk").first()
    return with_city or Deputy.objects.filter(pk__in=provincial).order_by("pk").first()


def credit_code(gen: Generator, region: str = CITY) -> str:
    """A well-formed 统一社会信用代码 (enterprise, registered in `region`)."""
    body = f"91{region}" + "".join(gen.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


@transaction.atomic
def create_cast(gen: Generator, written: Written) -> list:
    """The named deputies and the demo accounts. Needs Jiangmen in the written region."""
    from minsheng.accounts.models import DonorProfile, User
    from minsheng.deputies.models import Seat
    from minsheng.stations.models import StationDeputy
    from minsheng.units.models import Unit

    from .generator import deputy_from

    congresses, terms, stations = written.congresses, written.terms, written.stations
    haiyan = gen.places[HAIYAN]

    # 曾丽: a city deputy who is also a deputy of 海宴镇; 陈海: a deputy of 海宴镇.
    zeng = deputy_from(gen.new_person(haiyan, "city", name="曾丽", gender="F", village=HAIYAN_VILLAGE))
    chen = deputy_from(gen.new_person(haiyan, "township", name="陈海", gender="M", village=HAIYAN_VILLAGE))
    for deputy in (zeng, chen):
        deputy.save()
        StationDeputy.objects.create(station=stations[HAIYAN], deputy=deputy, since=dt.date(2021, 10, 1))
    taishan = gen.places[TAISHAN]
    for deputy, key, delegation, constituency in (
        (zeng, CITY, f"{short_county_name(taishan.name)}代表团", taishan.name),
        (zeng, HAIYAN, f"{HAIYAN_VILLAGE}代表小组", "第3选区"),
        (chen, HAIYAN, f"{HAIYAN_VILLAGE}代表小组", "第3选区"),
    ):
        Seat.objects.create(
            deputy=deputy,
            congress=congresses[key],
            term=terms[key],
            delegation=delegation,
            constituency=constituency,
            start_date=terms[key].start_date,
        )

    Role = User.Role
    scope = {
        "admin": {"is_superuser": True, "is_staff": True},
        "city_staff": {"congress": congresses[CITY]},
        "taishan_staff": {"congress": congresses[TAISHAN]},
        "haiyan_staff": {"congress": congresses[HAIYAN]},
        "deputy": {"deputy": zeng},
        "town_deputy": {"deputy": chen},
        "provincial_deputy": {"deputy": provincial_deputy()},
        "station_staff": {"station": stations[HAIYAN]},
        "handler_minzheng": {"unit": Unit.objects.get(name="江门市民政局")},
        "handler_jiaoyu": {"unit": Unit.objects.get(name="江门市教育局")},
        "donor": {},
        "donor_pending": {},
    }
    users = {}
    for login in LOGINS:
        fields = scope[login.username]
        if "deputy" in fields:
            name, mobile = fields["deputy"].name, fields["deputy"].mobile
        else:
            gender = "F" if gen.rng.random() < 0.5 else "M"
            name, mobile = gen.person_name(gender), gen.mobile()
        user = User(
            username=login.username, role=Role(login.role), display_name=name, mobile=mobile, **fields
        )
        password_validation.validate_password(PASSWORD, user)
        user.set_password(PASSWORD)
        user.save()
        users[login.username] = user

    now = timezone.now()
    DonorProfile.objects.create(
        user=users["donor"],
        kind=DonorProfile.Kind.ENTERPRISE,
        name="江门市侨乡爱心实业有限公司",
        credit_code=credit_code(gen),
        contact_name=users["donor"].display_name,
        place_id=congresses[CITY].place_id,
        status=DonorProfile.Status.VERIFIED,
        reviewed_by=users["city_staff"],
        reviewed_at=now,
    )
    DonorProfile.objects.create(
        user=users["donor_pending"],
        kind=DonorProfile.Kind.ENTERPRISE,
        name="台山市海宴华兴水产养殖有限公司",
        credit_code=credit_code(gen, TAISHAN),
        contact_name=users["donor_pending"].display_name,
        place_id=congresses[TAISHAN].place_id,
    )
    return list(users.values())


def _scope_of(user) -> str:
    if user.is_superuser:
        return _("everything")
    for attr in ("congress", "unit", "station", "deputy"):
        value = getattr(user, attr)
        if value is not None:
            return str(value)
    profile = getattr(user, "donor_profile", None)
    if profile is not None:
        return f"{profile.name} ({profile.get_status_display()})"
    return ""


def login_table() -> list[dict[str, str]]:
    """The demo accounts that exist in this database, in the order of LOGINS."""
    from minsheng.accounts.models import User

    users = {
        u.username: u
        for u in User.objects.filter(username__in=USERNAMES).select_related(
            "congress", "unit", "station", "deputy", "donor_profile"
        )
    }
    rows = []
    for login in LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        rows.append(
            {
                "username": user.username,
                "mobile": user.mobile,
                "role": str(User.Role(user.role).label),
                "scope": _scope_of(user),
                "password": PASSWORD,
                "home": HOME_URL,
            }
        )
    return rows


def sign_in_url() -> str:
    try:
        return HOME_URL.rstrip("/") + reverse("accounts:login")
    except NoReverseMatch:
        return HOME_URL


def format_logins(rows: list[dict[str, str]]) -> str:
    """A plain table; widths count a Chinese character as two columns so the columns line up."""
    headings = {
        "username": _("username"),
        "mobile": _("mobile"),
        "role": _("role"),
        "scope": _("scope"),
        "password": _("password"),
        "home": _("home page"),
    }

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    def pad(text: str, size: int) -> str:
        return text + " " * (size - width(text))

    table = [{k: str(v) for k, v in headings.items()}, *rows]
    sizes = {k: max(width(r[k]) for r in table) for k in headings}
    lines = ["  ".join(pad(r[k], sizes[k]) for k in headings).rstrip() for r in table]
    lines.insert(1, "  ".join("-" * sizes[k] for k in headings))
    return "\n".join(lines)
