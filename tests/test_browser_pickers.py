"""Browser test of the pickers that search (issue 12), on a phone (390×844): 陈海 records a wish and files it
with two co-signers he finds by typing their pinyin initials into the co-signers' type-ahead, and chooses them
with the keyboard (Enter). The filed case names them; the page sent nothing but the chosen ids."""

import re

from .test_browser_wish_story import BENEFICIARY, Actor, pick_by_typing, png, pytestmark  # noqa: F401
from .test_browser_wish_story import demo_accounts as demo_accounts  # noqa: F401

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


class Phone:
    """The browser, its pages sized as a phone's."""

    def __init__(self, browser):
        self.browser = browser

    def new_context(self, **kwargs):
        return self.browser.new_context(**PHONE, **kwargs)


def unique_initials(deputies) -> list[tuple[str, str]]:
    """(initials, name) of deputies whose initials no other of them starts with: typing them finds one."""
    found = []
    for deputy in deputies:
        if len(deputy.name_initials) < 2:
            continue
        if sum(1 for d in deputies if d.name_initials.startswith(deputy.name_initials)) == 1:
            found.append((deputy.name_initials, deputy.name))
    return found


def test_a_deputy_on_a_phone_files_a_wish_with_cosigners_found_by_pinyin_initials(
    live_server, browser, demo_accounts, tmp_path
):
    from minsheng.accounts.models import User
    from minsheng.cases import services
    from minsheng.cases.forms import cosigner_choices
    from minsheng.cases.models import Case, Cosigner
    from minsheng.common.idcard import with_check_digit

    deputy = Actor(Phone(browser), live_server.url, "town_deputy")
    page = deputy.page
    assert page.viewport_size == {"width": 390, "height": 844}

    # 1. 陈海 records the wish; its place is a picker too, preset to his station's place.
    deputy.goto("/cases/new/?kind=wish")
    form = "[data-testid=case-form]"
    assert page.locator(f"{form} select[name=place] + .ts-wrapper").count() == 1
    page.fill(f"{form} [name=title]", "为独居老人添置电暖器")
    page.fill(f"{form} [name=content]", "老人独居，冬天屋内寒冷，希望有一台电暖器。")
    page.check(f"{form} input[name=category][value=material]")
    page.fill(f"{form} [name=amount]", "380")
    page.check(f"{form} input[name=beneficiary_kind][value=individual]")
    page.select_option(f"{form} select[name=beneficiary_group]", "elderly_alone")
    page.fill(f"{form} [name=beneficiary_name]", BENEFICIARY["name"])
    page.fill(f"{form} [name=beneficiary_id_number]", with_check_digit("44078119480312202"))
    page.fill(f"{form} [name=beneficiary_phone]", BENEFICIARY["phone"])
    page.fill(f"{form} [name=beneficiary_address]", BENEFICIARY["address"])
    page.set_input_files(f"{form} input[name=photos]", str(png(tmp_path / "family.png")))
    deputy.submit(form)
    match = re.search(r"/cases/(\d+)/$", page.url)
    assert match, f"not on the case page after recording: {page.url}"
    case = Case.objects.get(pk=int(match.group(1)))
    assert case.place.name == "海宴镇"

    # The station's staff verify it at home (their part of the story: tests/test_browser_wish_story.py).
    services.case_verify(
        actor=User.objects.get(username="station_staff"),
        case_id=case.pk,
        visited_on=case.created_at.date(),
        visitors="站点工作人员、陈海",
        findings="情况属实。",
        confirmed=True,
    )

    # 2. He files it, finding two co-signers of his congress by their initials (首字母).
    choices = list(cosigner_choices(case))
    typed = unique_initials(choices)[:2]
    assert len(typed) == 2, "the demo's town congress has deputies to co-sign"
    deputy.open_case(case.pk)
    scope = deputy.action("[data-testid=action-file]")
    select = "[data-testid=action-file] select[name=cosigners]"
    assert scope.locator("select[name=cosigners] + .ts-wrapper").count() == 1
    for initials, name in typed:
        pick_by_typing(page, select, initials, name)
    page.keyboard.press("Escape")  # the list closes; the chosen names stay
    deputy.submit("[data-testid=action-file]")
    assert deputy.status() == Case.Status.FILED
    invited = set(Cosigner.objects.filter(case=case).values_list("deputy__name", flat=True))
    assert invited == {name for _initials, name in typed}
    shown = page.locator("[data-testid=cosigners-invited]").inner_text()
    assert all(name in shown for _initials, name in typed)
    deputy.close()
