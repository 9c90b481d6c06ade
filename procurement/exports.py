"""Excel exports (openpyxl). Text cells that a spreadsheet would read as a formula
(starting with = + - @) are escaped with a leading apostrophe."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import spreadsheet_safe

safe = spreadsheet_safe
#: The figure of a unit without an approved filing (no reserved amount, nothing committed).
NO_FIGURE = "—"


def completion_workbook(*, rows: list[dict], year: int, scope) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("完成情况")
    ws.append(
        [
            safe(
                _("%(year)s 年度预留份额完成情况（%(scope)s）")
                % {"year": year, "scope": scope.name}
            )
        ]
    )
    ws["A1"].font = Font(bold=True, size=13)
    header = [
        _("排名"),
        _("单位名称"),
        _("区域"),
        _("单位类型"),
        _("主管单位"),
        _("预留份额（元）"),
        _("已占用（元）"),
        _("已完成（元）"),
        _("剩余（元）"),
        _("完成率"),
        _("进度"),
        _("填报状态"),
    ]
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        unit = row["unit"]
        ws.append(
            [
                row["rank"],
                safe(unit.name),
                safe(unit.region.name),
                safe(unit.get_unit_type_display()),
                safe(unit.supervising_unit),
                *(
                    NO_FIGURE if row[key] is None else row[key]
                    for key in ("reserved", "committed", "completed", "remaining")
                ),
                float(row["rate"]),
                _("落后") if row["behind"] else _("正常"),
                str(row["state_label"]),
            ]
        )
        ws.cell(row=ws.max_row, column=10).number_format = "0.00%"
        for col in (6, 7, 8, 9):
            ws.cell(row=ws.max_row, column=col).number_format = "#,##0.00"
    for letter, width in zip(
        "ABCDEFGHIJKL", (6, 30, 10, 10, 24, 14, 14, 14, 14, 10, 8, 10), strict=True
    ):
        ws.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
