"""Checks on the sources: readability, review governance."""
