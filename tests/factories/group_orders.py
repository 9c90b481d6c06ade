"""Address lists of group orders (多地址配送), as the .xlsx files a union uploads."""

import io

HEADER = ("收货人", "手机号", "省", "市", "区县", "区划代码", "详细地址", "份数")
COUNTIES = ("相山区", "杜集区", "烈山区", "濉溪县")


def address_rows(n: int, *, sets: int = 1) -> list[tuple]:
    """``n`` good rows: staff of 淮北市第一中学 across the city's four counties."""
    return [
        (
            f"职工{i:03d}",
            f"139{i:08d}",
            "安徽省",
            "淮北市",
            COUNTIES[i % len(COUNTIES)],
            "",
            f"淮海路{i}号",
            sets,
        )
        for i in range(1, n + 1)
    ]


def address_xlsx(rows, *, header=HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
