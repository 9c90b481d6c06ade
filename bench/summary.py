"""The results of a run: verdicts against the targets, the table, the JSON."""

import statistics

from .load import WrkResult


def verdict(page) -> str:
    if not page.ok:
        return "ERROR"
    target = page.target
    misses = []
    result = page.result
    if target.min_ratio is not None and result is not None:
        if result.rps / page.ceiling_rps < target.min_ratio:
            misses.append("ratio")
    if target.max_queries is not None and page.queries > target.max_queries:
        misses.append("SQL count")
    if target.constant_queries and any(q != page.queries for q in page.query_variants.values()):
        misses.append("SQL grows")
    if result is not None and result.errors:
        misses.append("errors")
    if misses:
        return "MISS (" + ", ".join(misses) + ")"
    if target.min_ratio is not None and result is None:
        return "PASS (SQL only)" if target.max_queries is not None else "not loaded"
    has_target = target.min_ratio is not None or target.max_queries is not None
    return "PASS" if has_target else "-"


COLUMNS = [
    ("page", "<"),
    ("req/s", ">"),
    ("ceiling", ">"),
    ("ratio", ">"),
    ("p50 ms", ">"),
    ("p99 ms", ">"),
    ("errors", ">"),
    ("SQL", ">"),
    ("SQL ms", ">"),
    ("1-req ms", ">"),
    ("target", "<"),
    ("verdict", "<"),
]


def _row(name, result=None, ceiling="", page=None) -> list[str]:
    cells = [name, "", ceiling, "", "", "", "", "", "", "", "", ""]
    if result is not None:
        cells[1] = f"{result.rps:,.1f}" if page else f"{result.rps:,.0f}"
        cells[4:7] = [f"{result.p50_ms:.1f}", f"{result.p99_ms:.1f}", str(result.errors)]
        if page:
            cells[3] = f"{result.rps / page.ceiling_rps:.1%}"
    if page is not None:
        if page.queries is not None:
            cells[7:10] = [str(page.queries), f"{page.sql_ms:.1f}", f"{page.server_ms:.1f}"]
        cells[10:12] = [page.target.describe(), verdict(page)]
    return cells


def table(pages, ceilings, header: str) -> str:
    rows = []
    if ceilings:
        rps = [c.rps for c in ceilings]
        summary = WrkResult(
            requests=sum(c.requests for c in ceilings),
            seconds=sum(c.seconds for c in ceilings),
            p50_ms=statistics.median(c.p50_ms for c in ceilings),
            p90_ms=statistics.median(c.p90_ms for c in ceilings),
            p99_ms=statistics.median(c.p99_ms for c in ceilings),
            max_ms=max(c.max_ms for c in ceilings),
            errors=sum(c.errors for c in ceilings),
            error_detail={},
        )
        name = f"ceiling ({len(ceilings)} runs, {min(rps):,.0f}-{max(rps):,.0f})"
        rows.append(_row(name, summary))
    for page in pages:
        ceiling = f"{page.ceiling_rps:,.0f}" if page.result else ""
        rows.append(_row(page.name, page.result, ceiling, page))
    columns = [name for name, _ in COLUMNS]
    widths = [max(_width(r[i]) for r in [columns, *rows]) for i in range(len(columns))]

    def line(cells):
        return "  ".join(
            _pad(cell, width, right=align == ">")
            for cell, width, (_, align) in zip(cells, widths, COLUMNS, strict=True)
        ).rstrip()

    out = [header, "", line(columns), line(["-" * w for w in widths]), *map(line, rows)]
    notes = [
        "SQL: queries per request, counted in-process with warm caches; SQL ms and 1-req ms: "
        "time in SQL and in the whole request, in-process, one request at a time (medians of 3)."
    ]
    for page in pages:
        if page.query_variants:
            counts = ", ".join(f"{k}: {v}" for k, v in page.query_variants.items())
            same = all(v == page.queries for v in page.query_variants.values())
            notes.append(
                f"{page.name}: {page.queries} SQL queries; {counts} "
                f"-> {'constant' if same else 'GROWS with rows'}"
            )
        if page.error:
            notes.append(f"{page.name}: {page.error}")
    out += ["", *notes]
    return "\n".join(out)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def results_json(pages, ceilings, meta: dict) -> dict:
    entries = []
    for page in pages:
        result = page.result
        entries.append(
            {
                "name": page.name,
                "paths": page.paths[:5],
                "path_count": len(page.paths),
                "logged_in": page.logged_in,
                "status": page.status,
                "error": page.error,
                "sql_queries": page.queries,
                "sql_queries_other_pages": page.query_variants,
                "sql_ms_in_process": _rounded(page.sql_ms),
                "request_ms_in_process": _rounded(page.server_ms),
                "load": result.as_dict() if result else None,
                "ceiling_rps": round(page.ceiling_rps, 1) if result else None,
                "ratio": round(result.rps / page.ceiling_rps, 4) if result else None,
                "target": page.target.describe(),
                "verdict": verdict(page),
            }
        )
    return {**meta, "ceiling_runs": [c.as_dict() for c in ceilings], "pages": entries}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
