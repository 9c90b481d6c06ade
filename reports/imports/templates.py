"""The blank template of each import kind, in Excel or CSV."""

import csv
import io

from django.utils.translation import gettext as _

from ..models import (
    ImportKind,
)
from .columns import COLUMNS


def import_template(kind: str, fmt: str) -> bytes:
    """The template to fill in: the header row (and, in Excel, a sheet explaining columns)."""
    columns = COLUMNS[kind]
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerow([str(c.label) for c in columns])
        return out.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = str(ImportKind(kind).label)
    sheet.append([str(c.label) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F3EC")
    for i, _c in enumerate(columns, start=1):
        sheet.column_dimensions[chr(64 + i)].width = 20
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列"), _("是否必填"), _("说明")])
    for c in columns:
        notes.append([str(c.label), _("必填") if c.required else _("选填"), str(c.help)])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
