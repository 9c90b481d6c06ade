"""Households imported from a spreadsheet: row errors with their row and column, nothing
written unless the clerk chose to import the valid rows, no code imported twice."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from points import services
from points.exceptions import ClerkOutsideVillageError, ImportFileInvalidError
from points.models import Household

HEADER = ["户编码", "户主", "家庭人口", "联系电话后四位"]


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [
    ["CQ101", "李大山", 4, "0123"],
    ["CQ102", "王秀英", "x", "12"],
    ["CQ001", "重复户", 3, "5555"],
    ["=HYPERLINK(1)", "公式", 1, "1111"],
    ["CQ103", "赵春生", 2, 987],
]


def test_bad_rows_are_reported_and_nothing_is_written(world):
    before = Household.objects.count()
    result = services.households_import(
        user=world.clerk, village=world.village, data=xlsx(ROWS), name="农户.xlsx"
    )
    assert result.created == 0
    assert Household.objects.count() == before
    assert [(e["row"], e["column"], e["message"]) for e in result.errors] == [
        (3, "家庭人口", "须为 1 到 30 的整数"),
        (3, "联系电话后四位", "须为 4 位数字"),
        (4, "户编码", "该户编码已登记"),
        (5, "户编码", "内容以 = + - @ 开头，疑似公式，为安全起见不予导入"),
    ]


def test_the_valid_rows_are_imported_when_asked(world):
    result = services.households_import(
        user=world.clerk,
        village=world.village,
        data=xlsx(ROWS),
        name="农户.xlsx",
        import_valid=True,
    )
    assert result.created == 2
    assert list(
        Household.objects.filter(code__in=["CQ101", "CQ103"]).values_list(
            "code", "head_name", "members", "phone_last4", "village__code", "balance"
        )
    ) == [
        ("CQ101", "李大山", 4, "0123", "340621100201", 0),
        ("CQ103", "赵春生", 2, "0987", "340621100201", 0),
    ]


def test_a_clerk_of_another_village_and_a_foreign_file_are_refused(world):
    with pytest.raises(ClerkOutsideVillageError):
        services.households_import(
            user=world.other_clerk, village=world.village, data=xlsx(ROWS[:1]), name="a.xlsx"
        )
    with pytest.raises(ImportFileInvalidError):
        services.households_import(
            user=world.clerk, village=world.village, data=b"%PDF-1.4", name="a.pdf"
        )
    assert not Household.objects.filter(code="CQ101").exists()


def test_the_import_page_shows_the_row_errors(client, world):
    client.force_login(world.clerk)
    upload = io.BytesIO(xlsx(ROWS))
    upload.name = "农户.xlsx"
    response = client.post(
        reverse("points:households-import"), {"village": world.village.pk, "file": upload}
    )
    assert response.status_code == 200
    assert response.context["result"].error_count == 4
    assert "该户编码已登记" in response.content.decode()
