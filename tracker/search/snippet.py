"""A few words around what matched, with the matched words marked, in the original text."""

from __future__ import annotations

from markupsafe import Markup, escape

from tracker.search.normalize import fold_with_map

WIDTH = 140


def _spans(folded: str, where: list[int], terms: list[str]) -> list[tuple[int, int]]:
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


def snippet(text: str, terms: list[str], width: int = WIDTH) -> Markup:
    """About ``width`` characters of ``text`` around its first match, matches in
    ``<mark>``; the start of the text when the match was in something not shown (a
    name's pinyin)."""
    text = " ".join(text.split())
    folded, where = fold_with_map(text)
    spans = _spans(folded, where, terms)
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
