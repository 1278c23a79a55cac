"""Benchmarks (`make bench`): figures are measured, never asserted in unit tests."""
