"""gunicorn settings, read from the working directory by production and `make bench` alike.

Command-line flags (workers, bind) still win over what is set here.
"""

import gc


def post_worker_init(worker: object) -> None:
    """Once the app is loaded, move everything it made (SQLAlchemy's mappers, Babel's
    locale data, compiled templates …) out of the garbage collector's sight: a full
    collection otherwise walks those hundreds of thousands of long-lived objects again and
    again (136 ms each on the search page), the pauses behind a worker's slowest requests.
    Then collect the young a little less often than Python's default (700), not much:
    with 50,000 a collection freed some 75 requests' garbage at once, 60-77 ms each, which
    put the search page's p99 at 54-60 ms in process against 22-26 ms with 1,000-5,000."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(5_000, 20, 20)
