"""The bundled dataset's graph, loaded once per test session for the query tests."""
from __future__ import annotations

import pytest

__all__ = ["bundled"]


@pytest.fixture(scope="session")
def bundled():
    from loaders import load_graph

    return load_graph()
