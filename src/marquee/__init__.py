"""Marquee: a self-hosted movie database."""

__version__ = "0.1.0"
