"""A few words around what matched, with the matched words marked, in the original text."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from tracker.search.normalize import fold_with_map

WIDTH = 140


def _spans(folded: str, where: Sequence[int], terms: list[str]) -> list[tuple[int, int]]:
    """Where each term occurs, as [start, end) in the original text."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            spans.append((where[start], where[start + len(term) - 1] + 1))
            start = folded.find(term, start + len(term))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _near(text: str, terms: list[str]) -> int | None:
    """Where a term first occurs as written (lower case aside), if it does: most
    matches do, and then only the text around it needs folding."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ")
        return None
    found = [at for at in (lowered.find(term) for term in terms) if at >= 0]
    return min(found) if found else None


def _spans_near(text: str, terms: list[str], width: int) -> list[tuple[int, int]]:
    """The matches in ``text`` that a snippet of ``width`` may show. Folding goes
    character by character in Python, which on a page of 40 long notes cost more than
    the search; so when a term is found as written, only the text around it is folded."""
    near = _near(text, terms)
    if near is None:
        folded, where = fold_with_map(text)
        return _spans(folded, where, terms)
    lo, hi = max(0, near - width), min(len(text), near + width)
    folded, where = fold_with_map(text[lo:hi])
    return [(start + lo, end + lo) for start, end in _spans(folded, where, terms)]


def snippet(text: str, terms: list[str], width: int = WIDTH) -> Markup:
    """About ``width`` characters of ``text`` around its first match, matches in
    ``<mark>``; the start of the text when the match was in something not shown (a
    name's pinyin)."""
    text = " ".join(text.split())
    spans = _spans_near(text, terms, width)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 3, len(text) - width))
    end = min(len(text), start + width)
    out = [Markup("…") if start else Markup("")]
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(escape(text[cursor:span_start]))
        out.append(Markup("<mark>%s</mark>") % text[span_start:span_end])
        cursor = span_end
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append(Markup("…"))
    return Markup("").join(out)
