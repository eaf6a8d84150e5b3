"""Tests of the supervisor API (a package, so that its conftest does not shadow tests/conftest.py)."""
