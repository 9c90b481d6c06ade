"""Benchmark harness behind ``make bench``: catalogue generator, ceiling app and wrk runs."""
