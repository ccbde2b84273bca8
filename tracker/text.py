"""Small text helpers shared by searches and forms."""


def squash(text: str | None, limit: int = 100) -> str:
    """Collapse runs of white space and cut to ``limit`` characters."""
    return " ".join((text or "").split())[:limit]


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search for '50%' means the text '50%' (escape char '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
