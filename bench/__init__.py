"""Performance measurements on generated data: ``make bench`` runs ``python -m bench.run``.

Speed is measured, not guessed: the targets live in ``bench/run.py``, never in timed tests.
"""
