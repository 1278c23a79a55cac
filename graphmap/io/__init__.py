"""Readers and writers of graphmap's exchange formats and reference data."""
