"""Chinese-aware text for Wagtail's database search backend.

PostgreSQL's and SQLite's full-text tokenisers split on spaces and punctuation, so a run of
Chinese characters ("塔山石榴专业合作社") would be one token and "石榴" would never match it.
Pages therefore index an extra field of overlapping character pairs ("塔山 山石 石榴 …", as
Elasticsearch's CJK analyser does) and queries are cut the same way, every pair required.
"""

import re

CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
OTHER_WORD = re.compile(r"[0-9A-Za-z]+")
MAX_QUERY_TERMS = 24


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def cjk_terms(text: str) -> str:
    """Index text: single characters and character pairs of every Chinese run, plus Latin
    words and numbers, space-separated."""
    terms: list[str] = []
    for run in CJK_RUN.findall(text or ""):
        terms.extend(run)  # single characters, so that a one-character query finds them
        if len(run) > 1:
            terms.extend(_bigrams(run))
    terms.extend(word.lower() for word in OTHER_WORD.findall(text or ""))
    return " ".join(terms)


def cjk_query(text: str) -> str:
    """Query text cut as the index is: the pairs of each Chinese run (a lone character stays
    whole) and Latin words; to be searched with ``operator="and"``."""
    terms: list[str] = []
    for run in CJK_RUN.findall(text or ""):
        terms.extend(_bigrams(run))
    terms.extend(word.lower() for word in OTHER_WORD.findall(text or ""))
    return " ".join(dict.fromkeys(terms[:MAX_QUERY_TERMS]))
