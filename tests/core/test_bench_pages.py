"""make bench's rows (bench/pages.py): a cached page's cold row is measured and counted on its
own, never mixed with the warm row's runs."""

from bench.pages import Page, Target, cold


def test_a_cold_row_shares_nothing_with_its_warm_row():
    warm = Page("home", ["/"], logged_in=True, target=Target(min_ratio=0.25), zipf=True)
    row = cold(warm)

    warm.runs.append(("result", 4000.0))
    warm.query_variants["p9"] = 0

    assert (row.name, row.paths, row.logged_in, row.zipf, row.cold) == (
        "home (cold)",
        ["/"],
        True,
        True,
        True,
    )
    assert row.runs == [] and row.query_variants == {}
    assert row.target.describe() == "-"  # the verdict is the warm row's
