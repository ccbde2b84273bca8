"""``url_for`` for templates, with the URL's shape built once per endpoint.

A list page links every row (``url_for('clients.complaint_detail', complaint_id=c.id)``)
and Werkzeug builds each link from scratch: about 25 µs a call, a millisecond or more a
page. The links of one endpoint differ only in their numbers, so the first call builds the
URL with marker numbers and keeps it as text around the holes; later calls join the
pieces with the row's numbers. Static files' URLs are kept whole. Anything else (names in
the path, ``_external``, a relative ``.endpoint``, no request) goes to Flask's ``url_for``
unchanged, and the suite checks every route both ways (``tests/test_request_helpers.py``).
"""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import urlsplit

from flask import has_request_context, request
from flask import url_for as flask_url_for

# Marker numbers: long enough never to occur in a route's fixed text.
_MARK = 7_310_000_000_000


@functools.lru_cache(maxsize=2048)
def _shape(script_root: str, endpoint: str, keys: tuple[str, ...]) -> tuple[str, ...] | None:
    """The URL as fixed pieces between the values of ``keys``; None if it can't be cut.

    Keyed by the script root, the one part of the request a relative URL depends on.
    """
    marks = [str(_MARK + i) for i in range(len(keys))]
    built = flask_url_for(endpoint, **{key: _MARK + i for i, key in enumerate(keys)})
    pieces: list[str] = []
    rest = built
    for mark in marks:
        if built.count(mark) != 1:
            return None
        before, rest = rest.split(mark, 1) if mark in rest else (None, rest)
        if before is None:  # the values came out in another order than given
            return None
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


@functools.lru_cache(maxsize=512)
def _static(script_root: str, filename: str) -> str:
    return flask_url_for("static", filename=filename)


def url_for(endpoint: str, **values: Any) -> str:
    """Flask's ``url_for``, faster when every value is a number (ids, page numbers)."""
    if endpoint[0] == "." or not has_request_context():
        return flask_url_for(endpoint, **values)
    if endpoint == "static" and len(values) == 1 and type(values.get("filename")) is str:
        return _static(request.script_root, values["filename"])
    for key, value in values.items():
        # bool is an int too (and renders as True); "_external" and the like change the URL
        if type(value) is not int or key[0] == "_":
            return flask_url_for(endpoint, **values)
    shape = _shape(request.script_root, endpoint, tuple(values))
    if shape is None:
        return flask_url_for(endpoint, **values)
    if not values:
        return shape[0]
    out = [shape[0]]
    for value, piece in zip(values.values(), shape[1:], strict=True):
        out.append(str(value))
        out.append(piece)
    return "".join(out)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or CONTROL_OR_SPACE.search(target):
        return None
    normalised = target.replace("\\", "/")
    try:
        parts = urlsplit(normalised)
    except ValueError:  # e.g. "//[" is not a URL at all
        return None
    if parts.scheme or parts.netloc or not normalised.startswith("/") or normalised.startswith(
            "//"):
        return None
    return target


CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def site_path(endpoint: str, **values: Any) -> str:
    """A site-relative URL, also from a job or the command line (no request there)."""
    from flask import current_app

    if has_request_context():
        return flask_url_for(endpoint, **values)
    with current_app.test_request_context():
        return flask_url_for(endpoint, **values)
