"""Names by sound: pinyin and initials, so ``qinghe`` and ``qh`` find 青禾; and the key
that sorts names the way a Chinese dictionary does."""

from __future__ import annotations

import functools
import re

from tracker.search.normalize import fold

_HAN = re.compile("([\u3007\u3400-\u9fff\uf900-\ufaff]+)")
# Sorting by the first 255 characters of a key is sorting by the name; a longer key
# would only make the lists' indexes bigger.
SORT_KEY_LENGTH = 255


def _has_han(text: str) -> bool:
    return _HAN.search(text) is not None


@functools.lru_cache(maxsize=16384)
def _keys(name: str) -> tuple[str, ...]:
    # Imported on first use: its phrase dictionary (what tells 重庆's chóng from zhòng)
    # takes 45 MB, which a worker that only reads never needs.
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(name, errors="ignore") if s.strip()]
    if not syllables:
        return ()
    initials = "".join(s[0] for s in syllables)
    return ("".join(syllables), initials)


def name_keys(name: str | None) -> list[str]:
    """The pinyin of a Chinese name written together, and its initials (青禾科技 →
    ``qinghekeji``, ``qhkj``); nothing for a name without Chinese characters."""
    if not name or not _has_han(name):
        return []
    return list(_keys(name))


def _han_tokens(run: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(run, style=Style.TONE3, neutral_tone_with_five=True,
                            errors=lambda chars: list(chars))
    if len(syllables) != len(run):  # a character pypinyin cannot read: by code point
        return list(run)
    return [f"{syllable}{char}" for syllable, char in zip(syllables, run, strict=True)]


@functools.lru_cache(maxsize=16384)
def sort_key(name: str | None) -> str:
    """What a name sorts by, compared byte by byte (SQLite's BINARY, PostgreSQL's "C"):
    dictionary order, as in 现代汉语词典.

    Each Chinese character becomes its pinyin, its tone (1–4, 5 for the neutral tone)
    and the character itself, so names sort by the sound of their first character, then
    its tone, then the character (homophones stay together), then the next one:
    陈静 ``chen2陈 jing4静`` < 黄婷 < 李娜 ``li3李 na4娜`` < 力军 ``li4力 jun1军`` < 刘洋.
    Latin words sort among them by their letters (Apple by 阿里), case, width and
    traditional forms aside (the search index's ``fold``)."""
    parts: list[str] = []
    for word in fold(name).split():
        for i, run in enumerate(_HAN.split(word)):
            if run:
                parts.extend(_han_tokens(run) if i % 2 else [run])
    return " ".join(parts)[:SORT_KEY_LENGTH]
