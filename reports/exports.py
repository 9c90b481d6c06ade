"""The annual report as Excel (laid out like a bureau's report) and its tables as CSV.

Every text cell is made safe to open: a value that begins with = + - @ is prefixed with an
apostrophe, so no spreadsheet program takes it for a formula."""

import csv
import io
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.spreadsheets import spreadsheet_safe

WAN = Decimal("10000")
safe_cell = spreadsheet_safe


def _wan(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else (amount / WAN).quantize(Decimal("0.01"))


def _pct(value) -> str:
    return "" if value is None else f"{value}%"


def report_tables(report: dict) -> dict[str, tuple[list[str], list[list]]]:
    """The report's tables as (header, rows), amounts in 元 (exact, as in the data)."""
    h = report["headline"]
    year = report["year"]
    procurement = h["procurement"]
    headline_rows = [
        [_("平台销售额（元）"), h["sales"], h["sales_last"], _pct(h["sales_yoy"])],
        [_("其中：预算单位、工会及职工采购（元）"), h["platform_procurement"], "", ""],
        [
            _("政府采购农副产品完成额（元）"),
            procurement["completed"] if procurement else _("暂无数据"),
            h["procurement_last"]["completed"] if h["procurement_last"] else "",
            _pct(h["procurement_yoy"]),
        ],
        [
            _("预留份额（元）"),
            procurement["reserved"] if procurement else _("暂无数据"),
            h["procurement_last"]["reserved"] if h["procurement_last"] else "",
            "",
        ],
        [
            _("预留份额完成率"),
            _pct(procurement["rate"]) if procurement else "",
            _pct(h["procurement_last"]["rate"]) if h["procurement_last"] else "",
            "",
        ],
        [
            _("上行农产品网络零售额（电商主体报送，元）"),
            h["retail"],
            h["retail_last"],
            _pct(h["retail_yoy"]),
        ],
        [_("新增农村电商主体（家）"), h["new_entities"], h["new_entities_last"], ""],
        [_("在营农村电商主体（家，年末）"), h["active_entities"], "", ""],
        [_("认定供应商（家）"), h["suppliers"], "", ""],
        [_("带动脱贫户数（户）"), h["households"], "", ""],
    ]
    for item in report["indicators"]:
        headline_rows.append(
            [
                _("官方指标：%(label)s（%(source)s，元）") % item,
                item["value"],
                item["value_last"] if item["value_last"] is not None else "",
                _pct(item["yoy"]),
            ]
        )
    return {
        "headline": (
            [
                _("指标"),
                _("%(year)s年") % {"year": year},
                _("%(year)s年") % {"year": year - 1},
                _("同比"),
            ],
            headline_rows,
        ),
        "county": (
            [
                _("区划代码"),
                _("县区"),
                _("平台销售额（元，按产品产地）"),
                _("上年（元）"),
                _("同比"),
                _("其中采购渠道（元，按产品产地）"),
                _("预算单位采购完成额（元，按采购单位所在地）"),
                _("网络零售额（元，按电商主体所在地）"),
                _("上年（元）"),
                _("同比"),
                _("新增电商主体（家）"),
            ],
            [
                [
                    c["code"],
                    c["name"],
                    c["sales"],
                    c["sales_last"],
                    _pct(c["sales_yoy"]),
                    c["procurement_sales"],
                    c["procurement_completed"]
                    if c["procurement_completed"] is not None
                    else _("暂无数据"),
                    c["retail"],
                    c["retail_last"],
                    _pct(c["retail_yoy"]),
                    c["new_entities"],
                ]
                for c in report["counties"]
            ],
        ),
        "channel": (
            [
                _("渠道"),
                _("%(year)s年（元）") % {"year": year},
                _("上年（元）"),
                _("同比"),
                _("占比"),
            ],
            [
                [c["label"], c["amount"], c["amount_last"], _pct(c["yoy"]), _pct(c["share"])]
                for c in report["channels"]
            ],
        ),
        "month": (
            [
                _("月份"),
                _("平台销售额（元）"),
                _("上年同月（元）"),
                _("网络零售额（元）"),
                _("上年同月（元）"),
            ],
            [
                [
                    _("%(m)s月") % {"m": m["month"]},
                    m["sales"],
                    m["sales_last"],
                    m["retail"],
                    m["retail_last"],
                ]
                for m in report["months"]
            ],
        ),
        **eight_entries_tables(report),
    }


def eight_entries_tables(report: dict) -> dict[str, tuple[list[str], list[list]]]:
    """The "八进" tables (by organisation type, union targets, staff purchases per
    organisation) of a report that has them."""
    eight = report.get("eight_entries")
    if not eight:
        return {}
    year = report["year"]
    type_rows = [
        [
            row["name"],
            row["organisations"],
            row["orders"],
            row["amount"],
            row["union"],
            row["organisation"],
            row["staff"],
            row["amount_last"],
            _pct(row["yoy"]),
        ]
        for row in [*eight["types"], {**eight["total"], "name": _("合计")}]
    ]
    return {
        "eight_entries": (
            [
                _("单位类型"),
                _("参与单位数"),
                _("订单数"),
                _("%(year)s年（元）") % {"year": year},
                _("其中工会采购"),
                _("其中单位采购"),
                _("其中职工个人消费"),
                _("上年（元）"),
                _("同比"),
            ],
            type_rows,
        ),
        "union_targets": (
            [_("工会"), _("所属单位"), _("任务金额（元）"), _("已完成（元）"), _("完成率")],
            [
                [
                    u["name"],
                    u["parent"],
                    u["target"] if u["target"] is not None else _("未下达"),
                    u["completed"],
                    _pct(None if u["rate"] is None else (u["rate"] * 100).quantize(Decimal("0.1"))),
                ]
                for u in eight["unions"]
            ],
        ),
        "staff": (
            [_("单位"), _("类型"), _("关联职工数"), _("订单数"), _("消费金额（元）")],
            [[r["name"], r["type"], r["linked"], r["orders"], r["amount"]] for r in eight["staff"]],
        ),
    }


#: What each table counts by: the region of the product's origin, of the buyer, or of the
#: reporting entity. Shown under each title (page, Excel) so that no two bases mix silently.
TABLE_BASES = {
    "headline": gettext_noop(
        "口径：平台销售额按产品产地统计；政府采购完成额和预留份额按采购单位所在地统计"
        "（含导入的832平台采购）；网络零售额按电商主体所在地统计；官方指标按报送区域。"
    ),
    "county": gettext_noop(
        "口径：平台销售额及其采购渠道按产品产地县区统计；预算单位采购完成额按采购单位所在县区"
        "统计，两种口径不同，并列列示，不能相加；网络零售额按电商主体所在县区统计。"
    ),
    "channel": gettext_noop("口径：按销售渠道统计，产品产地在本区域内。"),
    "month": gettext_noop("口径：平台销售额按产品产地统计；网络零售额按电商主体所在地统计。"),
    "eight_entries": gettext_noop(
        "口径：本平台工会、“八进”单位采购和职工个人消费订单，按采购单位所在地统计、按单位类型"
        "归类（预算单位按对应类型）；线下“八进”活动录入的销售额不在此表。"
    ),
    "union_targets": gettext_noop(
        "口径：工会在本平台的采购（验收等计入环节按年度政策），按工会所在地统计。"
    ),
    "staff": gettext_noop("口径：已关联职工的个人网购订单（已付款，扣除退款），只统计合计。"),
}

TABLE_TITLES = {
    "headline": gettext_noop("一、主要指标"),
    "county": gettext_noop("二、分县区情况"),
    "channel": gettext_noop("三、分渠道情况"),
    "month": gettext_noop("四、分月情况"),
    "eight_entries": gettext_noop("五、“八进”采购情况"),
    "union_targets": gettext_noop("六、工会消费帮扶任务完成情况"),
    "staff": gettext_noop("七、职工个人消费（按单位）"),
}


def table_differences(report: dict, live: dict) -> dict[str, dict[tuple[int, int], object]]:
    """The cells of a closed year's tables whose live value differs from the snapshot:
    ``{table: {(row, column): live value}}``, rows matched by their first cell (indicator,
    county code, channel or month), so a row added or gone since closing shifts nothing."""
    if live is report:
        return {}
    tables, now = report_tables(report), report_tables(live)
    found = {}
    for key, (_header, rows) in tables.items():
        live_rows = {row[0]: row for row in now[key][1]}
        cells = {}
        for r, row in enumerate(rows):
            current = live_rows.get(row[0])
            if current is None:
                continue
            for c, value in enumerate(row):
                if c < len(current) and current[c] != value:
                    cells[(r, c)] = current[c]
        if cells:
            found[key] = cells
    return found


def annual_report_csv(report: dict, table: str) -> bytes:
    header, rows = report_tables(report)[table]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def closure_note(closure) -> str:
    """The line under a closed year's title (page, print and Excel)."""
    return _(
        "%(year)s 年度统计已于 %(at)s 由 %(who)s 关账：本表为关账时的数据，"
        "此后的变动不计入；与现值不同之处另行注明现值。"
    ) % {
        "year": closure.year,
        "at": timezone.localtime(closure.closed_at).strftime("%Y-%m-%d %H:%M"),
        "who": closure.closed_by.get_full_name() or closure.closed_by.email,
    }


PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")


def _percent_number(value):
    """ "-8.9%" as the number -0.089 (shown as a percentage), so Excel never sees a text cell
    starting with "-"; None for anything else."""
    if isinstance(value, str) and PERCENT.match(value):
        return Decimal(value[:-1]) / 100
    return None


def annual_report_xlsx(report: dict, *, live: dict | None = None, closure=None) -> bytes:
    """The report as a bureau's workbook. For a closed year (``closure``) the tables hold
    the snapshot, a line under the title says when and by whom the year was closed, and a
    last table lists every cell whose live value (``live``) differs, beside the snapshot's."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="E8F3EC")
    book = Workbook()
    sheet = book.active
    sheet.title = _("年度统计")
    title = _("%(region)s%(year)s年度消费帮扶工作统计表") % {
        "region": report["region"].name,
        "year": report["year"],
    }
    sheet.append([safe_cell(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=10)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(
        [
            _(
                "金额单位：元（精确到分）；网络零售额为电商主体报送数，官方指标单列，均不计入平台销售额。"
            )
        ]
    )
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=10)
    sheet["A2"].font = Font(size=9, color="666666")
    if closure is not None:
        sheet.append([safe_cell(closure_note(closure))])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=10
        )
        sheet.cell(row=sheet.max_row, column=1).font = Font(size=10, bold=True, color="9A3412")
    for key, (header, rows) in report_tables(report).items():
        sheet.append([])
        sheet.append([_(TABLE_TITLES[key])])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append([_(TABLE_BASES[key])])
        sheet.cell(row=sheet.max_row, column=1).font = Font(size=9, color="666666")
        sheet.append([safe_cell(str(h)) for h in header])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.fill = head_fill
            cell.border = border
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for row in rows:
            sheet.append(
                [safe_cell(v) if _percent_number(v) is None else _percent_number(v) for v in row]
            )
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                cell.border = border
                if _percent_number(value) is not None:
                    cell.number_format = "0.0%"
                elif isinstance(cell.value, (int, float, Decimal)):
                    cell.number_format = "#,##0.00" if isinstance(cell.value, Decimal) else "#,##0"
    differences = table_differences(report, live) if live is not None else {}
    if differences:
        tables = report_tables(report)
        sheet.append([])
        sheet.append([_("五、关账后数据变动（现值与关账数不同之处）")])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append([_("表"), _("行"), _("列"), _("关账数"), _("现值")])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.fill = head_fill
            cell.border = border
        for key, cells in differences.items():
            header, rows = tables[key]
            for (r, c), value in sorted(cells.items()):
                sheet.append(
                    [
                        safe_cell(_(TABLE_TITLES[key])),
                        safe_cell(str(rows[r][0])),
                        safe_cell(str(header[c])),
                        safe_cell(rows[r][c]),
                        safe_cell(value),
                    ]
                )
                for cell in sheet[sheet.max_row]:
                    cell.border = border
                    if isinstance(cell.value, Decimal):
                        cell.number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 44
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 16
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
