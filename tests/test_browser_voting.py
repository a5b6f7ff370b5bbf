"""Browser test of a 民生实事项目票决 on phones (Playwright driving Debian's Chromium), each person in a browser
of their own, signed in through the login form:

海宴镇's staff open the vote → three deputies vote on their phones (a running count of 赞成 against N, large
marks to tap, one radio group per candidate) and each sees a receipt code → the staff close the ballot and
publish the result → the public result page shows 应到/实到, the 赞成/反对/弃权 counts and the chosen projects.
"""

import datetime as dt

import pytest

from .conftest import BROWSER

pytestmark = BROWSER

PASSWORD = "Minsheng-2026!"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
PROJECTS = ["五丰村道路硬化", "海宴圩镇路灯安装", "渡口护栏加装"]
# Each deputy's marks on the three candidates (2 seats). Expected: 3/0/0 and 2/1/0 chosen, 0/1/2 not.
BALLOTS = {
    "voter_a": ["for", "for", "against"],
    "voter_b": ["for", "against", "abstain"],
    "voter_c": ["for", "for", "abstain"],
}
LABELS = {"for": "赞成", "against": "反对", "abstain": "弃权"}


@pytest.fixture
def prepared_vote(transactional_db, haiyan_congress, haiyan_term):
    """海宴镇's vote in preparation (3 candidates, 2 seats), its staff, and its three deputies with accounts.
    transactional_db comes first: the live server must see the rows, and `jiangmen` reloads the places and
    congresses the flush removed (see the root conftest)."""
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory
    from minsheng.congresses.models import Session
    from minsheng.deputies.tests.factories import SeatFactory
    from minsheng.units.tests.factories import UnitFactory
    from minsheng.voting.models import Candidate, Solicitation, VoteSession

    def account(username, **extra):
        user = UserFactory(username=username, **extra)
        user.set_password(PASSWORD)
        user.save()
        return user

    account("haiyan_clerk", role=User.Role.CONGRESS_STAFF, congress=haiyan_congress)
    for i, username in enumerate(BALLOTS):
        seat = SeatFactory(term=haiyan_term, deputy__name=f"代表{'甲乙丙'[i]}")
        account(username, role=User.Role.DEPUTY, deputy=seat.deputy)
    session = Session.objects.create(
        term=haiyan_term, number=5, start_date=dt.date(2026, 1, 10), end_date=dt.date(2026, 1, 12)
    )
    solicitation = Solicitation.objects.create(
        congress=haiyan_congress,
        year=2026,
        title="海宴镇2026年民生实事项目征集",
        opens_on=dt.date(2025, 10, 1),
        closes_on=dt.date(2025, 11, 30),
        status=Solicitation.Status.CLOSED,
    )
    unit = UnitFactory(name="海宴镇人民政府")
    candidates = [
        Candidate.objects.create(
            solicitation=solicitation,
            number=i + 1,
            title=title,
            description="改善群众生活",
            lead_unit=unit,
            budget=50,
        )
        for i, title in enumerate(PROJECTS)
    ]
    vote = VoteSession.objects.create(
        congress=haiyan_congress,
        session=session,
        solicitation=solicitation,
        seats=2,
        title="海宴镇2026年民生实事项目票决",
    )
    vote.candidates.set(candidates)
    return vote, candidates


def sign_in(browser, base_url, username, **context_options):
    context = browser.new_context(locale="zh-CN", **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=login-submit]")
    assert page.locator("[data-testid=whoami]").count() == 1, f"{username} could not sign in"
    return context, page


def no_errors(page, where):
    problems = page.locator(".alert-danger, .invalid-feedback").all_inner_texts()
    assert not problems, f"{where}: {problems} at {page.url}"


def test_three_deputies_vote_on_phones_and_the_public_sees_the_published_result(
    live_server, browser, prepared_vote
):
    from minsheng.voting.models import Ballot, VoteSession

    vote, candidates = prepared_vote
    base = live_server.url

    # 1. The staff open the ballot: the electorate (应到) is the three deputies.
    staff_context, staff = sign_in(browser, base, "haiyan_clerk")
    staff.goto(f"{base}/votes/{vote.pk}/")
    with staff.expect_navigation():
        staff.click("[data-testid=open-vote]")
    no_errors(staff, "open")
    assert staff.locator("[data-testid=counts] [data-testid=expected]").inner_text().strip() == "3"

    # 2. Each deputy votes on a phone and sees a receipt code.
    receipts = []
    for username, marks in BALLOTS.items():
        context, page = sign_in(browser, base, username, **PHONE)
        page.goto(f"{base}/votes/{vote.pk}/ballot/")
        # The page fits the phone's width; the count of 赞成 against N is in view from the start.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
        assert page.locator("[data-testid=for-count]").inner_text() == "0"
        assert page.locator("[data-testid=for-seats]").inner_text() == "2"
        assert page.locator("[data-testid=ballot-bar]").is_visible()
        for candidate in candidates:
            group = page.locator(f"[data-testid=marks-{candidate.pk}]")
            assert group.get_attribute("role") == "radiogroup"
            radios = group.locator("input[type=radio]")
            assert radios.count() == 3
            assert {radios.nth(i).get_attribute("name") for i in range(3)} == {f"c{candidate.pk}"}
            for label in group.locator("label").all():
                box = label.bounding_box()
                assert box is not None and box["height"] >= 44 and box["width"] >= 44, box
        if username == "voter_a":
            # Too many 赞成 is shown before sending: three For against N = 2, then one taken back.
            for candidate in candidates:
                page.locator(f"[data-testid=marks-{candidate.pk}] label", has_text=LABELS["for"]).tap()
            assert page.locator("[data-testid=for-count]").inner_text() == "3"
            assert page.locator("[data-testid=for-warning]").is_visible()
        for candidate, mark in zip(candidates, marks, strict=True):
            page.locator(f"[data-testid=marks-{candidate.pk}] label", has_text=LABELS[mark]).tap()
        assert page.locator("[data-testid=for-count]").inner_text() == str(marks.count("for"))
        assert not page.locator("[data-testid=for-warning]").is_visible()
        with page.expect_navigation():
            page.locator("[data-testid=cast]").tap()
        no_errors(page, f"{username} casts")
        receipt = page.locator("[data-testid=receipt]").inner_text().strip()
        assert len(receipt) == 12
        receipts.append(receipt)
        # Back on the ballot: only "you have voted", never the marks.
        page.goto(f"{base}/votes/{vote.pk}/ballot/")
        assert page.locator("[data-testid=has-voted]").count() == 1
        context.close()
    assert len(set(receipts)) == 3
    # in the sealed box until closing: the receipt page says so
    staff.goto(f"{base}/votes/receipt/")
    staff.fill("input[name=receipt]", receipts[0])
    staff.locator("form:has(input[name=receipt]) button[type=submit]").click()
    staff.wait_for_selector("[data-testid=sealed]")

    # The dashboard shows the open vote's figures, its chart, and refreshes them while the vote is open.
    staff.goto(f"{base}/votes/dashboard/?year=2026")
    row = staff.locator(f"[data-vote='{vote.pk}']")
    assert row.get_attribute("data-status") == "open"
    assert [row.locator(f"[data-testid={k}]").inner_text().strip() for k in ("electorate", "voted")] == [
        "3",
        "3",
    ]
    assert staff.locator("#dashboard-figures").get_attribute("hx-trigger") == "every 15s"
    staff.wait_for_selector("[data-chart=turnout] svg")

    # 3. The staff close the ballot (with the confirmation) and publish the result.
    staff.goto(f"{base}/votes/{vote.pk}/")
    with staff.expect_navigation():
        staff.click("[data-testid=close-vote]")
    staff.check("[data-testid=close-form] input[name=confirm]")
    with staff.expect_navigation():
        staff.click("[data-testid=close-form] button[type=submit]")
    no_errors(staff, "close")
    with staff.expect_navigation():
        staff.click("[data-testid=publish]")
    no_errors(staff, "publish")
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.PUBLISHED
    assert set(Ballot.objects.filter(vote=vote).values_list("receipt", flat=True)) == set(receipts)
    staff_context.close()

    # 4. Anyone reads the published result: 应到 3, 实到 3, the counts and the two chosen projects.
    public = browser.new_context(locale="zh-CN")
    page = public.new_page()
    response = page.goto(f"{base}/votes/{vote.pk}/public/")
    assert response is not None and response.ok
    assert page.locator("[data-testid=summary] [data-testid=expected]").inner_text().strip() == "3"
    assert page.locator("[data-testid=summary] [data-testid=present]").inner_text().strip() == "3"
    assert page.locator("[data-testid=summary] [data-testid=ballots]").inner_text().strip() == "3"
    expected = {
        candidates[0]: (3, 0, 0, "chosen"),
        candidates[1]: (2, 1, 0, "chosen"),
        candidates[2]: (0, 1, 2, "below"),
    }
    for candidate, (n_for, n_against, n_abstain, outcome) in expected.items():
        row = page.locator(f"[data-testid=result-{candidate.pk}]")
        assert candidate.title in row.locator("[data-testid=title]").inner_text()
        assert row.locator("[data-testid=for]").inner_text().strip() == str(n_for)
        assert row.locator("[data-testid=against]").inner_text().strip() == str(n_against)
        assert row.locator("[data-testid=abstain]").inner_text().strip() == str(n_abstain)
        assert row.get_attribute("data-outcome") == outcome
    chosen = page.locator("[data-outcome=chosen] [data-testid=title]").all_inner_texts()
    assert [text.split(". ", 1)[1].splitlines()[0] for text in chosen] == PROJECTS[:2]
    assert "代表甲" not in page.content()  # nobody's name on the public sheet
    public.close()
