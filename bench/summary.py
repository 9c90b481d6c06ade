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
        if result.rps / page.ceiling_rps < target.min_ratio:  # the median round's ratio
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
            ratios = page.ratios
            cells[3] = f"{result.rps / page.ceiling_rps:.1%}"
            if len(ratios) > 1:
                cells[3] += f" ({min(ratios):.1%}-{max(ratios):.1%})"
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
    out = [header, "", *_grid(COLUMNS, rows)]
    notes = [
        "SQL: queries per request, counted in-process with warm caches (cold rows: with the "
        "cache emptied before each request); SQL ms and 1-req ms: time in SQL and in the whole "
        "request, in-process, one request at a time (medians of 3)."
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


def _grid(spec, rows) -> list[str]:
    """Header, rule and rows, aligned as ``spec`` ([(column, "<" or ">")]) says."""
    columns = [name for name, _ in spec]
    widths = [max(_width(r[i]) for r in [columns, *rows]) for i in range(len(columns))]

    def line(cells):
        return "  ".join(
            _pad(cell, width, right=align == ">")
            for cell, width, (_, align) in zip(cells, widths, spec, strict=True)
        ).rstrip()

    return [line(columns), line(["-" * w for w in widths]), *map(line, rows)]


CHECKOUT_COLUMNS = [
    ("scenario", "<"),
    ("orders", ">"),
    ("orders/s", ">"),
    ("p50 ms", ">"),
    ("p99 ms", ">"),
    ("refusals", ">"),
    ("refusals/s", ">"),
    ("refusal p99", ">"),
    ("errors", ">"),
    ("sold/stock", ">"),
    ("oversold", ">"),
    ("allocated", ">"),
    ("target", "<"),
    ("verdict", "<"),
]


def checkout_table(result) -> str:
    """The checkout placement benchmark (bench/checkout.py): one row, and its checks."""
    from .checkout import OVERSUBSCRIPTION, TIME_LIMIT_S

    def ms(outcome, q):
        value = result.percentile_ms(outcome, q)
        return "" if value is None else f"{value:.1f}"

    header = (
        f"Checkout placement under stock contention: {result.threads} threads in-process, "
        f"orders.services.order_place_pending (待付款, stock allocated, no Stripe); "
        f"{result.baskets} baskets of 1-3 lines all asking for one product: "
        f"{result.demand_units} units for {result.hot_stock} in stock "
        f"({OVERSUBSCRIPTION}x); at most {TIME_LIMIT_S:g} s"
    )
    row = [f"checkout, hot stock {result.hot_stock}"] + [""] * (len(CHECKOUT_COLUMNS) - 1)
    row[-2:] = ["report orders/s, p99; 0 oversold", result.verdict()]
    if result.attempts:
        row[1:12] = [
            str(result.orders),
            f"{result.orders_per_s:,.1f}",
            ms("ordered", 50),
            ms("ordered", 99),
            str(result.refusals),
            f"{result.refusals_per_s:,.1f}",
            ms("refused", 99),
            str(result.errors),
            f"{result.sold}/{result.hot_stock}",
            str(result.oversold),
            str(result.hot_allocated),
        ]
    sold_out = result.sold >= result.hot_stock
    lasted = "while the stock lasted" if sold_out else "the stock did not run out"
    notes = [
        f"orders/s: orders / the {result.selling_s:.2f} s until the last one was placed "
        f"({lasted}); refusals/s: refusals (InsufficientStockError, not errors) / the time "
        f"from the first refusal to the end; {len(result.attempts)} attempts in "
        f"{result.seconds:.2f} s ({result.attempts_per_s:,.1f}/s); prepared in "
        f"{result.prepare_s:.1f} s.",
        "p50/p99 ms: one order_place_pending call (one transaction) of the placed orders; "
        "refusal p99: of the refused ones. Threads share one interpreter: the times include "
        "waiting for the GIL.",
        "sold: units of the hot product in the orders' lines; allocated: its stock record's "
        "num_allocated after the run.",
    ]
    if result.checks:
        checks = (f"{name} {'ok' if ok else 'FAILED'}" for name, ok in result.checks.items())
        notes.append("checks: " + ", ".join(checks))
    if result.time_limit_hit:
        notes.append(f"stopped at the {TIME_LIMIT_S:g} s limit with baskets left untried")
    notes += [f"other stock: {m}" for m in result.other_mismatches]
    notes += [f"error: {e}" for e in result.error_samples]
    if result.error:
        notes.append(f"checkout benchmark failed: {result.error}")
    return "\n".join([header, "", *_grid(CHECKOUT_COLUMNS, [row]), "", *notes])


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def results_json(pages, ceilings, meta: dict, checkout=None) -> dict:
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
                "ratios": [round(r, 4) for r in page.ratios],
                "zipf": page.zipf,
                "cold": page.cold,
                "runs": [
                    {**run.as_dict(), "ceiling_rps": round(ceiling, 1)}
                    for run, ceiling in page.runs
                ],
                "target": page.target.describe(),
                "verdict": verdict(page),
            }
        )
    return {
        **meta,
        "ceiling_runs": [c.as_dict() for c in ceilings],
        "pages": entries,
        "checkout": checkout.as_dict() if checkout is not None else None,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
