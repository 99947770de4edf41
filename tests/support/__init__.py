"""Shared test support: store settings and filled stores, sample accounts, the browser harness.

Test modules import from here (``from tests.support.stores import filled_store``); the root
``conftest.py`` turns the store helpers into fixtures.
"""
