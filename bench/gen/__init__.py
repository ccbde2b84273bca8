"""The benchmark data generator's parts (see bench/generate.py)."""
