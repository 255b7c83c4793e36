"""Where the bundled data lives: criteria, profiles and seeds, in a checkout or a wheel.

An installed wheel carries ``criteria/`` and ``seeds/`` inside the package as
``scoring/data/`` (pyproject's ``force-include``), found with :mod:`importlib.resources`; a
source checkout has them beside the package. ``$RECSCORE_ROOT`` overrides both.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["ROOT_VARIABLE", "bundled_root", "default_root"]

ROOT_VARIABLE = "RECSCORE_ROOT"


def default_root() -> Path:
    """The data root: ``$RECSCORE_ROOT``, else the bundled data."""
    configured = os.environ.get(ROOT_VARIABLE)
    return Path(configured) if configured else bundled_root()


@cache  # resolved once: the dashboard asks for the root on every rerun
def bundled_root() -> Path:
    """The folder holding the bundled ``criteria/`` and ``seeds/``.

    The package's own ``data`` folder when installed from a wheel; otherwise the checkout
    the package lives in. Wheels install as plain folders, so the resource is a real path.
    """
    packaged = resources.files("scoring").joinpath("data")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent
