"""How text is folded before it is indexed or searched, and the grams the index keeps.

Both sides go through ``fold``: the stored text and the words typed. Folding works one
character at a time, so a match found in folded text maps back onto the original text
(snippets highlight what the user wrote, not its folded form):

- NFKC turns full-width forms into half-width ones (``ＳａａＳ`` → ``SaaS``, ``（`` → ``(``)
  and the ideographic space into a space; then lower case;
- traditional characters become simplified ones (``客戶`` → ``客户``), character by
  character with OpenCC's table;
- zero-width characters disappear; punctuation, symbols and white space become one space
  (a search for ``(集团)`` looks for ``集团``; punctuation never joins two words).

The index keeps every character and every pair of neighbouring characters of each word
(a run without spaces): a one-character query reads one posting list, a longer one the
lists of its pairs, and the folded text is then checked for the whole term. This works
alike for Chinese (no spaces between words), Latin words and digits; FTS5's trigram
tokenizer finds nothing for one- or two-character terms.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

import opencc

_T2S = opencc.OpenCC("t2s")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
# Most terms a query may hold, and the pairs checked in the index per term.
MAX_TERMS = 8
PAIRS_PER_TERM = 6


@functools.lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """One character folded: '' (dropped), ' ' (a break) or its folded form."""
    if char in ZERO_WIDTH:
        return ""
    folded = unicodedata.normalize("NFKC", char).lower()
    out = []
    for c in folded:
        category = unicodedata.category(c)
        if c.isspace() or category[0] in "PSZC":
            out.append(" ")
        elif category[0] == "M":
            continue  # combining marks: "é" as "e", whatever the source wrote
        else:
            out.append(_T2S.convert(c) if ord(c) > 0x2E7F else c)
    return "".join(out)


def fold_with_map(text: str) -> tuple[str, Sequence[int]]:
    """The folded text, and for each of its characters the index in ``text`` it came
    from. Runs of breaks are one space; no space at either end."""
    parts = list(map(fold_char, text))
    folded = "".join(parts)
    # No character dropped, and as many out as in: each became one, as in most text.
    if (len(folded) == len(text) and "" not in parts and "  " not in folded
            and folded[:1] != " " and folded[-1:] != " "):
        return folded, range(len(text))
    out: list[str] = []
    where: list[int] = []
    for index, part in enumerate(parts):
        for c in part:
            if c == " " and (not out or out[-1] == " "):
                continue
            out.append(c)
            where.append(index)
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def fold(text: str | None) -> str:
    """``text`` folded for searching (see the module's docstring); the same text as
    ``fold_with_map`` gives, without the map (the index folds millions of texts)."""
    if not text:
        return ""
    return " ".join("".join(map(fold_char, text)).split())


def grams(folded: str) -> set[str]:
    """Every character and every neighbouring pair of each word of folded text."""
    found: set[str] = set()
    for word in folded.split():
        found.update(word)
        found.update(word[i:i + 2] for i in range(len(word) - 1))
    return found


def term_grams(term: str) -> list[str]:
    """The grams a document must hold to contain ``term`` (a folded query term): its
    character when it has one, else some of its pairs, spread over the term (the text
    itself is checked afterwards, so a few pairs narrow enough)."""
    words = term.split()
    if len(words) == 1 and len(words[0]) == 1:
        return [words[0]]
    found: list[str] = []
    for word in words:
        if len(word) == 1:
            found.append(word)
            continue
        pairs = list(dict.fromkeys(word[i:i + 2] for i in range(len(word) - 1)))
        if len(pairs) > PAIRS_PER_TERM:
            step = (len(pairs) - 1) / (PAIRS_PER_TERM - 1)
            pairs = [pairs[round(i * step)] for i in range(PAIRS_PER_TERM)]
        found.extend(pairs)
    return list(dict.fromkeys(found))


_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)')


def query_terms(query: str | None) -> list[str]:
    """The folded terms of a query: words separated by spaces (all must match), a
    quoted phrase as one term. Terms another term contains are dropped."""
    terms: list[str] = []
    for match in _QUOTED.finditer(unicodedata.normalize("NFKC", query or "")):
        raw = next(group for group in match.groups() if group is not None)
        term = fold(raw)
        if term and term not in terms:
            terms.append(term)
    terms.sort(key=len, reverse=True)
    kept: list[str] = []
    for term in terms:
        if not any(term in longer for longer in kept):
            kept.append(term)
    return kept[:MAX_TERMS]


@functools.lru_cache(maxsize=65536)
def fts_token(gram: str) -> str:
    """A gram as an FTS5 token of letters and digits only (``客户`` → ``5ba2x6237``):
    whatever the tokenizer thinks of a character, each gram stays one token."""
    return "x".join(format(ord(c), "x") for c in gram)


def kind_key(kind: str, money: int = 0) -> str:
    """What a document's postings are filed under: its kind and, for a kind with money
    fields, which of its record's two documents it is (``agreementm`` with the money
    fields, ``agreementn`` without; ``money`` is a ``MoneyPart``). A search reads only
    the postings of the kinds it shows, for the money its reader may see: a word in
    half the notes is one posting list of notes, not the word's list intersected with
    every note's."""
    return kind + ("", "m", "n")[money]


# Postings, per kind key: a gram of the text and a reach key. On SQLite each is one FTS5
# token of letters and digits: the gram's hex (digits, a-f and "x") ends at the first
# other letter, which says what follows. On PostgreSQL each is one element of the array;
# folded text never holds a colon, so no gram can be mistaken for a key.
def gram_token(key: str, gram: str) -> str:
    """``客户`` in notes: ``5ba2x6237gnote``."""
    return f"{fts_token(gram)}g{key}"


def reach_token(key: str, reach: str) -> str:
    """Reach key ``u12`` (``tracker.access.reach``) in notes: ``ru12knote``."""
    return f"r{reach}k{key}"


def gram_element(key: str, gram: str) -> str:
    """``note:客户``."""
    return f"{key}:{gram}"


def reach_element(key: str, reach: str) -> str:
    """``note:r:u12`` (the gram ``r`` is ``note:r``)."""
    return f"{key}:r:{reach}"


def month_element(key: str, at: datetime) -> str:
    """``note@202612``: the month (UTC) a document of ``key`` is dated in, one more
    element of its array on PostgreSQL. A GIN index gives a posting list neither in order
    nor in part, so a word in a third of the notes would be read whole; read together
    with a month's element, GIN skips through the word's list along the month's, and a
    search takes the newest months first (``query._kind_part``)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return f"{key}@{at:%Y%m}"
