"""The demo's campaign: July of this year, of the city congress, with more than ¥2,000,000 of social funds
for the 人大代表林 since March, gifts for wishes linked to their claims, and its dashboard summarised."""

from decimal import Decimal

import pytest
from django.test import Client

from minsheng.activities.models import Campaign
from minsheng.common import clock
from minsheng.insights import campaigns
from minsheng.insights.campaign_models import CampaignSummary, Contribution


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    from minsheng.demo.services import demo_build

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_build(scale="tiny", seed=20261127)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_demo_campaign_has_its_funds_and_its_summary(demo, db):
    campaign = Campaign.objects.get(name="绿美江门·人大代表在行动")
    assert campaign.slogan == "三级人大联动、五级代表行动"
    assert campaign.congress.region_prefix == "4407"
    assert (campaign.starts_on.year, campaign.starts_on.month) == (clock.today().year, 7)
    planting = sum(c.amount for c in Contribution.objects.filter(campaign=campaign))
    assert planting > Decimal("2000000")
    assert Contribution.objects.filter(purpose="wish", claim__isnull=False).exists()
    assert CampaignSummary.objects.get(campaign=campaign).as_of is not None
    dash = campaigns.dashboard_for(campaign, campaign.congress)
    assert Decimal(dash["funds"]) > Decimal("2000000")
    client = Client()
    from minsheng.accounts.models import User

    client.force_login(User.objects.get(username="city_staff"))
    response = client.get(f"/campaigns/{campaign.pk}/")
    assert response.status_code == 200
    assert "累计撬动社会资金" in response.content.decode()
