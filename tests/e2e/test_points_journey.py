"""Browser journey (Playwright + Debian chromium): a clerk records an award, another clerk
of the village enters the review, the notice starts and an administrator ends it early (an
audited step), the award is credited, and the supermarket's manager redeems it on a
phone-sized page (390 px): the balance and stock fall together, the receipt shows, the
village board shows the new balance, and the ledger reconciles."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from points.models import Award, AwardAction, AwardStatus, Goods, Redemption
from points.services import points_reconcile
from tests.factories.accounts import UserFactory
from tests.factories.points import YEAR, points_world, rule_book

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/huinong-e2e")
PHONE = {"width": 390, "height": 844}


def test_clerk_review_notice_credit_and_redemption_on_a_phone(contexts, home_page):
    world = points_world()
    rules = world.rules
    today = timezone.localdate()
    if today.year != YEAR:  # the clerk records today's deed under today's book
        _book, rules = rule_book(world.regions["淮北市"], year=today.year)
    admin = UserFactory(email="root-e2e@example.com", is_superuser=True, is_staff=True)
    home = world.households[0]
    SHOTS.mkdir(exist_ok=True)

    clerk = contexts(world.clerk)
    clerk.goto(clerk.base_url + "/points/clerk/")
    clerk.fill("#id_household_code", home.code)
    clerk.select_option("#id_rule", str(rules["army"].pk))
    clerk.fill("#id_note", "长子参军入伍")
    clerk.get_by_role("button", name="提交评议").click()
    expect(clerk.get_by_text("记录 +50 分，等待村民代表评议")).to_be_visible()
    award = Award.objects.get()
    # The recording clerk is not offered the review of their own award.
    clerk.goto(clerk.base_url + f"/points/clerk/awards/{award.pk}/")
    expect(clerk.get_by_role("button", name="提交评议结果")).to_have_count(0)

    reviewer = contexts(world.clerk2)
    reviewer.goto(reviewer.base_url + "/points/clerk/")
    reviewer.get_by_role("link", name=f"{home.code} {home.head_name}").first.click()
    reviewer.get_by_label("评议通过，进入公示").check()
    reviewer.fill("#id_note", "村民代表一致同意")
    reviewer.get_by_role("button", name="提交评议结果").click()
    expect(reviewer.get_by_text("评议结果已录入。")).to_be_visible()
    expect(reviewer.locator('[data-figure="status"]')).to_have_text("公示中")

    board = contexts(UserFactory(email="visitor-e2e@example.com"))
    board.goto(board.base_url + f"/points/v/{world.village.code}/")
    expect(board.locator("[data-notices]")).to_contain_text("子女参军入伍")

    boss = contexts(admin)
    boss.goto(boss.base_url + f"/points/clerk/awards/{award.pk}/")
    boss.fill("#id_end_reason", "演示：提前结束公示")
    boss.get_by_role("button", name="结束公示并入账").click()
    expect(boss.get_by_text("已提前结束公示，积分已入账。")).to_be_visible()
    award.refresh_from_db()
    assert award.status == AwardStatus.CREDITED
    assert award.steps.get(action=AwardAction.NOTICE_END_EARLY).by == admin

    shop = contexts(world.manager, **PHONE)
    shop.goto(shop.base_url + "/points/shop/")
    shop.fill("#pt-code", home.code)
    shop.get_by_role("button", name="查找").click()
    expect(shop.locator('[data-figure="balance"]')).to_have_text("50")
    oil = world.goods["oil"]
    shop.fill(f"#qty-{world.goods['soap'].pk}", "2")
    # Nothing sideways on a phone: the page is no wider than the screen.
    assert shop.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shop.screenshot(path=str(SHOTS / "points-redeem-390.png"), full_page=True)
    shop.fill(f"#qty-{oil.pk}", "1")  # 60 + 10 points of 50: refused
    shop.get_by_role("button", name="确认兑换").click()
    expect(shop.get_by_text("积分余额不足：当前余额 50 分，本次需要 70 分。")).to_be_visible()
    assert Redemption.objects.count() == 0
    shop.fill(f"#qty-{world.goods['soap'].pk}", "2")
    shop.get_by_role("button", name="确认兑换").click()
    expect(shop.get_by_text("兑换成功。")).to_be_visible()
    expect(shop.locator('[data-figure="total"]')).to_have_text("10")
    assert re.fullmatch(r"DH\d{12}", shop.locator('[data-figure="number"]').inner_text())
    shop.screenshot(path=str(SHOTS / "points-receipt-390.png"), full_page=True)

    home.refresh_from_db()
    assert home.balance == 40
    assert Goods.objects.get(pk=world.goods["soap"].pk).stock == 48
    board.goto(board.base_url + f"/points/v/{world.village.code}/")
    expect(board.locator(f'[data-household="{home.code}"] [data-figure="balance"]')).to_have_text(
        "40"
    )
    assert points_reconcile() == []
