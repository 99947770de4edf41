"""Benchmarks: ``python -m benchmarks.run NAME [args]``; each module here has a ``main(argv)``.

Every benchmark prints throughput next to a named baseline measured in the same run, and the
ratio between them; none asserts on wall-clock time.
"""
