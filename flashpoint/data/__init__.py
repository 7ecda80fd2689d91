"""Authored knowledge and lexicons, read with importlib.resources; each file has a header on its sources."""
