"""A small world loaded through the real loaders from the files in data/."""

from __future__ import annotations

import pytest

from vangnet.regions.data_import import load_municipalities, load_postcodes, load_regions

from .files import DATA


@pytest.fixture
def loaded_regions(db):
    """Utrecht, Amsterdam-Amstelland, Midden- en West-Brabant and the national desk."""
    load_regions(path=DATA / "regions.csv")
    load_municipalities(path=DATA / "municipalities.csv")
    load_postcodes(path=DATA / "pc4.csv")
