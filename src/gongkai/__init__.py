"""Gongkai (公开): standardized government-affairs disclosure platform."""

__version__ = "0.1.0"
