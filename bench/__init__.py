"""Benchmarks of Minsheng: `python -m bench --scale tiny|jiangmen|guangdong` (see bench/README.md)."""
