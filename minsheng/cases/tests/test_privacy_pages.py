"""What each audience reads of a case's texts: the case page as the API (privacy.py), and a donor never
reads the units' parts, whether the claim is live or finished."""

# ruff: noqa: F401, F811 - fixtures imported by name from pages_fixtures

from django.urls import reverse

from minsheng.cases import services
from minsheng.cases.models import Answer

from .pages_fixtures import answered, cosigned_wish, cosigner_user, world
from .test_actions_agree import png

NAME = "黄阿婆"  # the beneficiary, named in the wish's content and in the answer


def test_a_donor_whose_claim_is_delivered_reads_the_wish_without_the_family_on_the_page_as_in_the_api(
    client, world, donor
):
    services.claim_deliver(actor=donor, claim_id=world["claim"].pk, photos=[png()])
    case = world["case"]
    client.force_login(donor)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    api = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert NAME in case.content
    assert NAME not in page and "***行动不便" in page
    assert NAME not in api["content"] and api["content"].startswith("***")


def test_a_donor_holding_a_live_claim_reads_the_wish_whole_as_in_the_api(client, world, donor):
    client.force_login(donor)
    page = client.get(reverse("cases:detail", args=[world["case"].pk])).content.decode()
    assert NAME in page  # the delivery contact names the family anyway
    assert NAME in client.get(f"/api/v1/cases/{world['case'].pk}/").json()["content"]


def test_a_confirmed_cosigner_reads_the_answer_without_the_family(client, answered, cosigner_user):
    client.force_login(cosigner_user)
    page = client.get(reverse("cases:detail", args=[answered.pk])).content.decode()
    assert NAME not in page and "13712345678" not in page


def test_a_donor_reads_no_assignment_and_no_answer_letter(client, answered, world, donor):
    lead = world["lead"]
    answer = Answer.objects.get(assignment=lead)
    client.force_login(donor)
    assert client.get(f"/api/v1/assignments/{lead.pk}/").status_code == 404
    assert client.get("/api/v1/assignments/").json()["results"] == []
    assert client.get(f"/api/v1/reassignment-requests/{world['request'].pk}/").status_code == 404
    assert client.get(reverse("cases_stats:answer_letter", args=[answer.pk])).status_code == 404
