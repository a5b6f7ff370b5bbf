"""The social funds ledger (撬动社会资金): totals, the reconciliation with the wishes' claims (a claim counts once,
with or without a ledger row), bad input (clear Chinese messages, nothing saved), the permission matrix, and
the API."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from minsheng.activities import campaign_services
from minsheng.activities.models import Campaign
from minsheng.cases.models import Claim
from minsheng.cases.tests.factories import WishFactory
from minsheng.common.errors import Conflict, DomainError, PermissionDenied
from minsheng.common.models import AuditRecord
from minsheng.insights import contribution_selectors, contribution_services
from minsheng.insights.campaign_models import Contribution
from minsheng.insights.funds import gifts
from minsheng.places.models import Place

NOW = timezone.make_aware(dt.datetime(2026, 7, 20, 12, 0))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False), translation.override("zh-hans"):
        yield


@pytest.fixture
def campaign(city_congress, city_staff):
    return Campaign.objects.create(
        name="绿美江门·人大代表在行动",
        congress=city_congress,
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 7, 31),
        created_by=city_staff,
    )


@pytest.fixture
def claimed_wish(station, deputy_user, donor):
    wish = WishFactory(actor=deputy_user, congress=station.congress, station=station)
    claim = Claim.objects.create(case=wish, donor=donor, kind="share", amount=Decimal("300"), status="live")
    return wish, claim


def total(prefix="4407"):
    return sum((g.amount for g in gifts(prefix=prefix)), Decimal("0"))


def test_a_claim_without_a_ledger_row_counts_once_by_itself(claimed_wish, city_staff):
    assert total() == Decimal("300")
    assert [g.source for g in gifts(prefix="4407")] == ["claim"]
    assert contribution_selectors.ledger_totals(city_staff)["total"] == Decimal("300")


def test_a_claim_with_a_ledger_row_counts_once_through_the_row(claimed_wish, city_staff, donor):
    wish, claim = claimed_wish
    row = contribution_services.contribution_record(
        actor=city_staff,
        donor=donor,
        form="money",
        amount="300",
        purpose="wish",
        case=wish,
        pledged_on=dt.date(2026, 7, 19),
    )
    assert row.claim == claim  # the donor's holding claim of the wish, linked by itself
    assert [(g.source, g.amount) for g in gifts(prefix="4407")] == [("ledger", Decimal("300"))]
    assert contribution_selectors.ledger_totals(city_staff)["total"] == Decimal("300")
    # Cancelled, the row counts nothing and the claim counts again by itself: still once.
    contribution_services.contribution_cancel(actor=city_staff, contribution_id=row.pk, reason="未到账")
    assert [(g.source, g.amount) for g in gifts(prefix="4407")] == [("claim", Decimal("300"))]


def test_a_second_ledger_row_for_the_same_claim_is_refused(claimed_wish, city_staff, donor):
    wish, claim = claimed_wish
    args = {
        "actor": city_staff,
        "donor": donor,
        "form": "money",
        "amount": "300",
        "purpose": "wish",
        "case": wish,
        "claim": claim,
        "pledged_on": dt.date(2026, 7, 19),
    }
    contribution_services.contribution_record(**args)
    with pytest.raises(Conflict, match="已在台账中"):
        contribution_services.contribution_record(**args)
    assert Contribution.objects.count() == 1


def test_the_totals_per_donor_purpose_and_county_never_name_an_individual(campaign, city_staff, claimed_wish):
    haiyan = Place.objects.get(name="海宴镇")
    for name, kind, amount in (("侨心公司", "enterprise", "1000"), ("李四", "individual", "50")):
        contribution_services.contribution_record(
            actor=city_staff,
            donor_name=name,
            donor_kind=kind,
            form="money",
            amount=amount,
            purpose="campaign",
            campaign=campaign,
            place=haiyan,
            pledged_on=dt.date(2026, 3, 5),
        )
    totals = contribution_selectors.ledger_totals(city_staff)
    assert totals["total"] == Decimal("1350")
    donors = dict(totals["by_donor"])
    assert donors["侨心公司"] == Decimal("1000")
    assert "李四" not in donors
    assert dict(totals["by_purpose"]) == {"主题活动": Decimal("1050"), "微心愿": Decimal("300")}
    assert dict(totals["by_county"]) == {"台山市": Decimal("1350")}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"amount": "-5"}, "必须大于零"),
        ({"amount": "0"}, "必须大于零"),
        ({"form": "goods", "goods": "树苗", "amount": None}, "金额"),
        ({"form": "goods", "goods": ""}, "物资"),
        ({"donor_name": ""}, "捐赠者"),
        ({"pledged_on": dt.date(2026, 8, 1)}, "晚于今天"),
    ],
)
def test_bad_gifts_are_refused_in_chinese_and_nothing_is_saved(campaign, city_staff, changes, message):
    args = {
        "actor": city_staff,
        "donor_name": "侨心公司",
        "donor_kind": "enterprise",
        "form": "money",
        "amount": "100",
        "purpose": "campaign",
        "campaign": campaign,
        "pledged_on": dt.date(2026, 7, 1),
    }
    with pytest.raises(DomainError, match=message):
        contribution_services.contribution_record(**{**args, **changes})
    assert not Contribution.objects.exists()
    assert not AuditRecord.objects.filter(verb__startswith="contribution.").exists()


def test_receiving_twice_is_refused(campaign, city_staff):
    row = contribution_services.contribution_record(
        actor=city_staff,
        donor_name="侨心公司",
        donor_kind="enterprise",
        form="goods",
        goods="树苗 500 株",
        amount="25000",
        purpose="campaign",
        campaign=campaign,
        pledged_on=dt.date(2026, 3, 5),
    )
    with pytest.raises(DomainError, match="到账日期不能早于认捐日期"):
        contribution_services.contribution_receive(
            actor=city_staff, contribution_id=row.pk, received_on=dt.date(2026, 3, 1)
        )
    pdf = SimpleUploadedFile(
        "收据.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/pdf"
    )
    with pytest.raises(DomainError):
        contribution_services.contribution_receive(
            actor=city_staff, contribution_id=row.pk, received_on=dt.date(2026, 3, 9), receipt=pdf
        )  # a damaged PDF: refused, nothing changed
    row.refresh_from_db()
    assert row.status == "pledged"
    contribution_services.contribution_receive(
        actor=city_staff, contribution_id=row.pk, received_on=dt.date(2026, 3, 9)
    )
    with pytest.raises(Conflict, match="已于.*登记到账"):
        contribution_services.contribution_receive(
            actor=city_staff, contribution_id=row.pk, received_on=dt.date(2026, 3, 10)
        )
    row.refresh_from_db()
    assert row.received_on == dt.date(2026, 3, 9)
    assert AuditRecord.objects.filter(verb="contribution.received").count() == 1


def test_staff_of_another_county_may_not_enter_a_gift_there(campaign, kaiping_staff):
    with pytest.raises(PermissionDenied):
        contribution_services.contribution_record(
            actor=kaiping_staff,
            donor_name="侨心公司",
            donor_kind="enterprise",
            form="money",
            amount="100",
            purpose="campaign",
            campaign=campaign,
            place=Place.objects.get(name="海宴镇"),
            pledged_on=dt.date(2026, 7, 1),
        )


def test_a_campaign_that_ends_before_it_starts_is_refused(city_congress, city_staff):
    with pytest.raises(DomainError, match="结束日期不能早于开始日期|不能在开始之前结束"):
        campaign_services.campaign_create(
            actor=city_staff,
            congress=city_congress,
            name="七月",
            starts_on=dt.date(2026, 7, 31),
            ends_on=dt.date(2026, 7, 1),
        )
    with pytest.raises(DomainError, match="100%"):
        campaign_services.campaign_create(
            actor=city_staff,
            congress=city_congress,
            name="七月",
            starts_on=dt.date(2026, 7, 1),
            ends_on=dt.date(2026, 7, 31),
            target_participation_percent=120,
        )
    assert not Campaign.objects.exists()


# role × page/endpoint → status
MATRIX = [
    # (role, city campaign dashboard, ledger list, ledger new, campaigns list, new campaign, API campaigns, API contributions)
    ("admin_user", 200, 200, 200, 200, 403, 200, 200),  # an admin is no congress's staff
    ("city_staff", 200, 200, 200, 200, 200, 200, 200),
    ("taishan_staff", 200, 200, 200, 200, 200, 200, 200),
    ("kaiping_staff", 200, 200, 200, 200, 200, 200, 200),
    ("deputy_user", 403, 403, 403, 403, 403, 200, 403),
    ("station_staff", 403, 403, 403, 403, 403, 200, 403),
    ("civil_affairs_handler", 403, 403, 403, 403, 403, 200, 403),
    ("donor", 403, 403, 403, 403, 403, 200, 403),
    ("anonymous", 302, 302, 302, 302, 302, 403, 403),
]


@pytest.mark.parametrize("role, dashboard, ledger, ledger_new, clist, cnew, api_c, api_f", MATRIX)
def test_permission_matrix(
    request, client, campaign, role, dashboard, ledger, ledger_new, clist, cnew, api_c, api_f
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    pages = [
        (reverse("insights:campaign_dashboard", args=[campaign.pk]), dashboard),
        (reverse("insights:contributions"), ledger),
        (reverse("insights:contribution_new"), ledger_new),
        (reverse("campaigns:list"), clist),
        (reverse("campaigns:new"), cnew),
        ("/api/v1/campaigns/", api_c),
        ("/api/v1/contributions/", api_f),
    ]
    got = [(url, client.get(url).status_code) for url, _want in pages]
    assert got == [(url, want) for url, want in pages]


def test_the_api_lists_the_campaigns_in_scope_and_refuses_a_bad_period(
    client, campaign, city_staff, kaiping_staff, deputy_user
):
    client.force_login(kaiping_staff)
    assert [c["id"] for c in client.get("/api/v1/campaigns/").json()["results"]] == [campaign.pk]
    client.force_login(deputy_user)
    assert client.get("/api/v1/campaigns/").json()["results"] == []
    client.force_login(city_staff)
    bad = {"name": "七月", "starts_on": "2026-07-31", "ends_on": "2026-07-01"}
    response = client.post(
        "/api/v1/campaigns/", bad, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert Campaign.objects.count() == 1
    response = client.post(
        "/api/v1/contributions/",
        {
            "donor_name": "侨心公司",
            "donor_kind": "enterprise",
            "form": "money",
            "amount": "-1",
            "purpose": "campaign",
            "campaign": campaign.pk,
            "pledged_on": "2026-07-01",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "大于零" in response.content.decode()
    assert not Contribution.objects.exists()
