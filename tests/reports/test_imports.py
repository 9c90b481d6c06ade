"""Imports of e-commerce entities and monthly figures: bad rows reported, nothing imported
from a failing file unless asked, no duplicates, unsafe files refused."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reports.imports.jobs import import_job_run
from reports.imports.templates import import_template
from reports.models import EcommerceEntity, EntityMonthlyFigure, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

ENTITY_HEADER = [
    "主体名称",
    "统一社会信用代码",
    "平台",
    "店铺名称",
    "区划代码",
    "注册日期",
    "是否在营",
]
FIGURE_HEADER = ["统一社会信用代码", "平台", "店铺名称", "月份", "网络零售额（元）", "订单数"]
GOOD_CODE = "91340621MA2N0TQX4B"


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def run(scope, data, name="主体.xlsx", kind="entities", valid_only=False):
    job = ImportJob.objects.create(
        kind=kind,
        file=SimpleUploadedFile(name, data),
        original_name=name,
        import_valid_rows=valid_only,
        scope_region=scope,
    )
    return import_job_run(job_id=job.pk)


@pytest.fixture
def county(regions):
    return regions["濉溪县"]


def test_a_clean_sheet_imports_every_row(county):
    job = run(
        county,
        xlsx(
            [
                ENTITY_HEADER,
                [
                    "濉溪县榴香电商",
                    GOOD_CODE,
                    "淘宝",
                    "榴香旗舰店",
                    "340621",
                    datetime.date(2025, 3, 18),
                    "是",
                ],
                ["濉溪镇小王网店", None, "拼多多", "小王农家", "340621100", "2025-04-01", None],
            ]
        ),
    )
    assert (job.status, job.created_count, job.errors) == (ImportStatus.DONE, 2, [])
    assert sorted(EcommerceEntity.objects.values_list("shop_name", "platform", "region__name")) == [
        ("小王农家", "pinduoduo", "濉溪镇"),
        ("榴香旗舰店", "taobao", "濉溪县"),
    ]


BAD_SHEET = [
    ENTITY_HEADER,
    ["好主体", "", "京东", "好店", "340621", "2025-01-02", "是"],
    ["", "91340621MA2N0TQX4D", "微博", "坏店", "340604", "2099-01-01", "也许"],
    ['=HYPERLINK("http://x")', "", "抖音", "公式店", "340621", "2025-01-02", ""],
    ["重复店", "", "京东", "好店", "340621", "2025-01-05", ""],
]


def test_bad_rows_are_reported_and_nothing_is_imported(county):
    job = run(county, xlsx(BAD_SHEET))
    assert job.status == ImportStatus.REJECTED
    assert job.created_count == 0
    assert EcommerceEntity.objects.count() == 0
    assert job.errors == [
        {"row": 3, "column": "主体名称", "message": "必填"},
        {
            "row": 3,
            "column": "统一社会信用代码",
            "message": "统一社会信用代码校验位不正确，请核对。",
        },
        {"row": 3, "column": "平台", "message": "平台无法识别：微博"},
        {"row": 3, "column": "区划代码", "message": "区划代码 340604 不存在或不在您的管辖范围内"},
        {"row": 3, "column": "注册日期", "message": "注册日期不能晚于今天"},
        {"row": 3, "column": "是否在营", "message": "请填“是”或“否”"},
        {
            "row": 4,
            "column": "主体名称",
            "message": "内容以 = + - @ 开头，疑似公式，为安全起见不予导入",
        },
        {"row": 5, "column": "店铺名称", "message": "与第 2 行重复"},
    ]
    assert "3 行有错误" in job.message


def test_the_valid_rows_are_imported_when_chosen_and_the_good_data_stays(county):
    job = run(county, xlsx(BAD_SHEET), valid_only=True)
    assert (job.status, job.created_count) == (ImportStatus.DONE, 1)
    assert list(EcommerceEntity.objects.values_list("name", flat=True)) == ["好主体"]
    # the same file again: the good row is now a duplicate, nothing is added
    again = run(county, xlsx(BAD_SHEET), valid_only=True)
    assert again.created_count == 0
    assert {"row": 2, "column": "店铺名称", "message": "该平台的此店铺已登记"} in again.errors
    assert EcommerceEntity.objects.count() == 1


def test_figures_are_matched_to_entities_and_never_duplicate_a_month(county):
    run(
        county,
        xlsx(
            [
                ENTITY_HEADER,
                ["榴香电商", GOOD_CODE, "淘宝", "榴香旗舰店", "340621", "2024-01-01", ""],
            ]
        ),
    )
    job = run(
        county,
        csv_bytes(
            [
                FIGURE_HEADER,
                [GOOD_CODE, "", "", "2025-01", "12,345.60", "300"],
                ["", "淘宝", "榴香旗舰店", "2025年2月", "8000", ""],
                [GOOD_CODE, "", "", "2025-01", "1", ""],
                ["", "京东", "不存在的店", "2025-01", "1", ""],
                [GOOD_CODE, "", "", "2025-03", "-5", ""],
                [GOOD_CODE, "", "", "2025-04", "1.234", "x"],
            ]
        ),
        name="月度.csv",
        kind="figures",
        valid_only=True,
    )
    assert job.created_count == 2
    assert sorted(
        EntityMonthlyFigure.objects.values_list("month", "retail_amount", "order_count")
    ) == [
        (datetime.date(2025, 1, 1), Decimal("12345.60"), 300),
        (datetime.date(2025, 2, 1), Decimal("8000.00"), 0),
    ]
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (4, "月份"),
        (5, "店铺名称"),
        (6, "网络零售额（元）"),
        (7, "网络零售额（元）"),
        (7, "订单数"),
    ]
    assert job.errors[0]["message"] == "与第 2 行重复"
    assert job.errors[2]["message"] == "内容以 = + - @ 开头，疑似公式，为安全起见不予导入"
    again = run(
        county,
        csv_bytes([FIGURE_HEADER, [GOOD_CODE, "", "", "2025-01", "9", ""]]),
        name="m.csv",
        kind="figures",
    )
    assert again.status == ImportStatus.REJECTED
    assert again.errors == [{"row": 2, "column": "月份", "message": "该主体 2025-01 的数据已存在"}]
    assert EntityMonthlyFigure.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.csv", b"", "文件为空。"),
        ("空.xlsx", xlsx([]), "文件为空。"),
        ("表头.csv", csv_bytes([ENTITY_HEADER]), "文件只有表头，没有数据行。"),
        (
            "图片.png",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
            "文件类型不支持：请上传 Excel（.xlsx）或 CSV 文件。",
        ),
        (
            "假的.xlsx",
            b"PK\x03\x04not really a zip",
            "无法读取该 Excel 文件，请确认是有效的 .xlsx 文件。",
        ),
        (
            "旧版.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20,
            "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。",
        ),
        (
            "缺列.csv",
            csv_bytes([["主体名称", "平台"], ["a", "淘宝"]]),
            "表头缺少必填列：店铺名称、区划代码、注册日期。请使用下载的模板。",
        ),
    ],
)
def test_unreadable_files_fail_with_a_reason_and_import_nothing(county, name, data, message):
    job = run(county, data, name=name)
    assert (job.status, job.message) == (ImportStatus.FAILED, message)
    assert EcommerceEntity.objects.count() == 0


def test_a_gbk_csv_is_read(county):
    job = run(
        county,
        csv_bytes(
            [ENTITY_HEADER, ["濉溪电商", "", "抖音", "濉溪好物", "340621", "2025-1-2", ""]],
            encoding="gb18030",
        ),
        name="gbk.csv",
    )
    assert job.created_count == 1


def test_templates_carry_the_header(county):
    book = load_workbook(io.BytesIO(import_template("entities", "xlsx")))
    assert [c.value for c in book.worksheets[0][1]] == ENTITY_HEADER
    assert import_template("figures", "csv").decode("utf-8-sig").strip() == ",".join(FIGURE_HEADER)


def test_upload_page_runs_the_import_and_shows_the_bad_rows(
    client, county_staff, django_capture_on_commit_callbacks
):
    client.force_login(county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:import"),
            {"kind": "entities", "file": SimpleUploadedFile("bad.xlsx", xlsx(BAD_SHEET))},
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("reports:import-detail", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "与第 2 行重复" in page and "整个文件未导入" in page
    progress = client.get(reverse("reports:import-progress", args=[job.pk])).json()
    assert (progress["status"], progress["percent"], progress["total_rows"]) == ("rejected", 100, 4)


def test_upload_refuses_a_wrong_extension(client, county_staff):
    client.force_login(county_staff)
    response = client.post(
        reverse("reports:import"),
        {"kind": "entities", "file": SimpleUploadedFile("a.exe", b"MZ...")},
    )
    assert "文件类型不支持" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_another_countys_job_is_not_found(client, county_staff, city_staff, regions):
    job = run(regions["淮北市"], xlsx(BAD_SHEET))
    client.force_login(county_staff)
    assert client.get(reverse("reports:import-detail", args=[job.pk])).status_code == 404
