"""Names by sound: pinyin and initials, so ``qinghe`` and ``qh`` find 青禾."""

from __future__ import annotations

import functools


def _has_han(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


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
