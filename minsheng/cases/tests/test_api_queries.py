"""Query budgets of the cases API: a list costs the same number of queries for 2 rows as for 20 (no N+1), and
the case page does not grow with its claims, documents and assignments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.cases import services
from minsheng.cases.models import Assignment, Case

from .test_api_fixtures import *  # noqa: F403 (the shared fixtures)
from .test_api_fixtures import ANSWERS, ASSIGNMENTS, CASES, CLAIMS, WALL, photo, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_wishes(deputy_user, haiyan_congress, station, station_staff, haiyan_staff, haiyan_government):
    """`make_wishes(n, until=...)`: n more wishes of different households, taken up to a step."""
    made = []

    def make(n: int, *, until: str = "assigned") -> list[Case]:
        cases = []
        for _ in range(n):
            i = len(made)
            case = services.case_create(
                actor=deputy_user,
                kind=Case.Kind.WISH,
                title=f"心愿{i}",
                content=f"第{i}户需要帮助",
                congress=haiyan_congress,
                lead_deputy=deputy_user.deputy,
                place=station.place,
                station=station,
                category=Case.Category.MATERIAL,
                amount="300",
                beneficiary={"name": f"受助人{i}", "address": f"五丰村{i}号", "group": "elderly_alone"},
            )
            services.case_verify(
                actor=station_staff,
                case_id=case.pk,
                visited_on=today(),
                visitors="站长",
                findings="属实",
                confirmed=True,
            )
            services.case_file(actor=deputy_user, case_id=case.pk)
            services.case_accept(actor=haiyan_staff, case_id=case.pk)
            services.case_assign(actor=haiyan_staff, case_id=case.pk, lead=haiyan_government)
            if until in ("wall", "claimed"):
                services.wish_put_on_wall(actor=haiyan_staff, case_id=case.pk, public_summary="老人需要帮助")
            made.append(case)
            cases.append(case)
        return cases

    return make


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def assert_flat(api, user, url, grow, *, budget: int):
    """The same number of queries with 2 rows and with 20, and within the budget, once the cache is warm (a
    region's congress ids are kept between requests: selectors.congress_ids_under)."""
    grow(2)
    caller = api.login(user)
    caller.get(url)
    few = queries(lambda: caller.get(url))
    grow(18)
    many = queries(lambda: caller.get(url))
    assert many == few, f"{url}: {few} queries for 2 rows, {many} for 20"
    assert many <= budget, f"{url}: {many} queries"


@pytest.mark.parametrize("role", ["haiyan_staff", "deputy_user", "station_staff", "admin_user"])
def test_the_case_list_costs_the_same_for_20_cases_as_for_2(api, user_for, make_wishes, role):
    assert_flat(api, user_for(role), CASES, lambda n: make_wishes(n), budget=6)


def test_the_case_list_of_a_unit_costs_the_same_for_20_cases_as_for_2(api, make_wishes, haiyan_handler):
    assert_flat(api, haiyan_handler, CASES, lambda n: make_wishes(n), budget=6)


def test_a_units_inbox_costs_the_same_for_20_assignments_as_for_2(api, make_wishes, haiyan_handler):
    assert_flat(api, haiyan_handler, ASSIGNMENTS, lambda n: make_wishes(n), budget=6)


def test_a_donors_claims_cost_the_same_for_20_as_for_2(api, make_wishes, donor):
    def grow(n):
        for case in make_wishes(n, until="wall"):
            services.claim_create(actor=donor, case_id=case.pk, kind="whole")

    assert_flat(api, donor, CLAIMS, grow, budget=6)


def test_staff_see_claims_on_their_cases_at_the_same_cost_for_20_as_for_2(
    api, make_wishes, donor, haiyan_staff
):
    def grow(n):
        for case in make_wishes(n, until="wall"):
            services.claim_create(actor=donor, case_id=case.pk, kind="share", amount="100")

    assert_flat(api, haiyan_staff, CLAIMS, grow, budget=6)


def test_the_wish_wall_costs_the_same_for_20_wishes_as_for_2(api, make_wishes):
    assert_flat(api, None, WALL, lambda n: make_wishes(n, until="wall"), budget=3)


def test_published_answers_cost_the_same_for_20_as_for_2(
    api, make_wishes, haiyan_handler, deputy_user, haiyan_staff
):
    def grow(n):
        for case in make_wishes(n):
            assignment = Assignment.objects.get(case=case)
            services.assignment_acknowledge(actor=haiyan_handler, assignment_id=assignment.pk)
            services.answer_submit(
                actor=haiyan_handler,
                assignment_id=assignment.pk,
                answer_class="B",
                text="办理中",
                signed_by="李镇长",
            )
            services.rating_submit(actor=deputy_user, case_id=case.pk, value="mostly")
            services.case_publish(actor=haiyan_staff, case_id=case.pk)

    assert_flat(api, None, ANSWERS, grow, budget=4)


def test_reassignment_requests_cost_the_same_for_20_as_for_2(api, make_wishes, haiyan_handler, haiyan_staff):
    def grow(n):
        for case in make_wishes(n):
            assignment = Assignment.objects.get(case=case)
            services.assignment_request_reassignment(
                actor=haiyan_handler, assignment_id=assignment.pk, reason="不属本单位"
            )

    assert_flat(api, haiyan_staff, "/api/v1/reassignment-requests/", grow, budget=6)


def test_the_case_page_does_not_grow_with_its_claims_documents_and_records(
    api, wall_wish, lead_assignment, haiyan_handler, haiyan_staff, deputy_user
):
    from minsheng.accounts.models import DonorProfile
    from minsheng.accounts.tests.factories import DonorProfileFactory

    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=lead_assignment.pk)
    url = f"{CASES}{wall_wish.pk}/"

    def grow(i: int):
        donor = DonorProfileFactory(user__username=f"donor{i}", status=DonorProfile.Status.VERIFIED).user
        services.claim_create(actor=donor, case_id=wall_wish.pk, kind="share", amount="10")
        services.document_add(actor=deputy_user, case_id=wall_wish.pk, kind="photo", upload=photo(f"{i}.png"))
        services.handling_record_add(
            actor=haiyan_handler,
            assignment_id=lead_assignment.pk,
            kind="progress",
            happened_on=today(),
            note="进展",
        )
        services.supervision_record(actor=haiyan_staff, case_id=wall_wish.pk, kind="chase", note="催办")

    grow(0)
    caller = api.login(haiyan_staff)
    caller.get(url)  # warm: the region's congress ids are kept between requests
    few = queries(lambda: caller.get(url))
    for i in range(1, 8):
        grow(i)
    many = queries(lambda: caller.get(url))
    assert many == few and many <= 17, (few, many)  # 17: the units' extension requests (延期)
