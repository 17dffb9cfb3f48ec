"""Pressroom: patient booklets, alert cards and their web edition from Markdown."""

__version__ = '0.1.0'
