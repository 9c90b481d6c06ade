"""Reading an uploaded .xlsx or .csv file into a header and numbered rows."""

import csv
import io

from django.utils.translation import gettext as _

from core.spreadsheets import cell_text

from ..exceptions import ImportFileInvalidError
from .columns import COLUMNS


def read_table(data: bytes, name: str) -> tuple[list[str], list[tuple[int, list]]]:
    """(header, [(row number as the user sees it, cells)]) of an .xlsx or .csv file; blank
    rows are skipped. Raises ImportFileInvalidError for an empty or unreadable file."""
    if not data:
        raise ImportFileInvalidError(_("文件为空。"))
    if data[:4] == b"PK\x03\x04":
        rows = _read_xlsx(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileInvalidError(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。"))
    elif name.lower().endswith((".csv", ".txt")):
        rows = _read_csv(data)
    else:
        raise ImportFileInvalidError(_("文件类型不支持：请上传 Excel（.xlsx）或 CSV 文件。"))
    rows = [(n, cells) for n, cells in rows if any(cell_text(c) for c in cells)]
    if not rows:
        raise ImportFileInvalidError(_("文件为空。"))
    header = [cell_text(c) for c in rows[0][1]]
    if len(rows) == 1:
        raise ImportFileInvalidError(_("文件只有表头，没有数据行。"))
    return header, rows[1:]


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula stays its text ("=..."), and is refused below.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise ImportFileInvalidError(
            _("无法读取该 Excel 文件，请确认是有效的 .xlsx 文件。")
        ) from exc
    sheet = book.worksheets[0]
    rows = [(n, list(row)) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    return rows


def _read_csv(data: bytes):
    if b"\x00" in data[:4096]:
        raise ImportFileInvalidError(_("文件类型不支持：请上传 Excel（.xlsx）或 CSV 文件。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileInvalidError(_("CSV 文件编码无法识别，请保存为 UTF-8 编码。"))
    try:
        return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1)]
    except csv.Error as exc:
        raise ImportFileInvalidError(_("CSV 文件格式有误：%(error)s") % {"error": exc}) from exc


def column_map(kind: str, header: list[str]) -> dict[str, int]:
    positions = {label: i for i, label in enumerate(header) if label}
    mapping, missing = {}, []
    for column in COLUMNS[kind]:
        if str(column.label) in positions:
            mapping[column.field] = positions[str(column.label)]
        elif column.required:
            missing.append(str(column.label))
    if missing:
        raise ImportFileInvalidError(
            _("表头缺少必填列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)}
        )
    return mapping
