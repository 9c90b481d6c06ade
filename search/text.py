"""Text rules shared by both engines: normalisation, query terms, pinyin and highlighting.

A query is split on white space into terms; a product matches when every term occurs in its
search text (title, origin, categories, spec), or, for a term of Latin letters
only, in the pinyin of its title (full syllables or initials). Both engines implement exactly
this rule, so they give the same answers on the same catalogue.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pypinyin import Style, pinyin

MAX_TERMS = 5
PINYIN_TERM = re.compile(r"^[a-z]+$")


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, runs of white space to one space."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def query_terms(text: str) -> list[str]:
    """The distinct terms of a query, in order, at most ``MAX_TERMS``."""
    terms: list[str] = []
    for term in normalise(text).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def is_pinyin_term(term: str) -> bool:
    return bool(PINYIN_TERM.match(term))


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@lru_cache(maxsize=8192)
def _char_pinyin(char: str) -> str:
    return pinyin(char, style=Style.NORMAL, heteronym=False, errors="default")[0][0]


def char_syllables(text: str) -> list[str]:
    """One pinyin syllable per character of ``text`` (non-Chinese characters as themselves).

    Characters are converted one by one so that an offset in the pinyin maps back to a
    character of the title (used by the highlighter).
    """
    return [_char_pinyin(ch) if is_cjk(ch) else ch for ch in text]


def title_pinyin(title: str) -> str:
    """Full pinyin and initials of a title, each word run together: "tashanshiliu tssl ..."."""
    words_full, words_initials = [], []
    for word in normalise(title).split():
        syllables = char_syllables(word)
        words_full.append("".join(syllables))
        words_initials.append("".join(s[:1] for s in syllables))
    return " ".join(words_full + words_initials)


def _pinyin_spans(title: str, term: str) -> list[tuple[int, int]]:
    """Character spans of ``title`` whose pinyin (full or initials) contains ``term``."""
    syllables = char_syllables(title.lower())
    spans = []
    for mode in ("full", "initials"):
        parts = [s if mode == "full" else s[:1] for s in syllables]
        starts, offset = [], 0
        for part in parts:
            starts.append(offset)
            offset += len(part)
        joined = "".join(parts)
        for match in re.finditer(re.escape(term), joined):
            first = max(i for i, s in enumerate(starts) if s <= match.start())
            last = max(i for i, s in enumerate(starts) if s < match.end())
            spans.append((first, last + 1))
    return spans


def highlight(title: str, query: str) -> SafeString:
    """``title`` with each matched term wrapped in ``<mark>``, HTML-escaped."""
    terms = query_terms(query)
    if not terms:
        return mark_safe(escape(title))  # noqa: S308 - escaped just above
    folded = unicodedata.normalize("NFKC", title).lower()
    if len(folded) != len(title):  # NFKC changed the length: offsets would not map back
        folded = title.lower()
    marked = [False] * len(title)
    for term in terms:
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(term), folded)]
        if not spans and is_pinyin_term(term):
            spans = _pinyin_spans(title, term)
        for start, end in spans:
            for i in range(start, end):
                marked[i] = True
    out, i = [], 0
    while i < len(title):
        j = i
        while j < len(title) and marked[j] == marked[i]:
            j += 1
        chunk = escape(title[i:j])
        out.append(f"<mark>{chunk}</mark>" if marked[i] else chunk)
        i = j
    return mark_safe("".join(out))  # noqa: S308 - every chunk escaped above
