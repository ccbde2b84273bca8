"""gunicorn settings, read from the working directory by production and `make bench` alike.

Command-line flags (workers, bind) still win over what is set here.
"""

import gc


def post_worker_init(worker: object) -> None:
    """Once the app is loaded, move everything it made (SQLAlchemy's mappers, Babel's
    locale data, compiled templates …) out of the garbage collector's sight, and collect
    less often: a full collection otherwise walks those hundreds of thousands of
    long-lived objects again and again, the pauses behind a worker's slowest requests."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
