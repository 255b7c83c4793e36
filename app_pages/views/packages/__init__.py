"""Packages page, one module per tab.

Packages: option sets, their conflicts and synergies, side-by-side comparison and the best
package, all under the sidebar's current weights.

Every number comes from :mod:`scoring.option_sets`; this module only collects inputs and
draws. Only the open tab is drawn, each tab is a fragment (a change inside it reruns only
it), and the two costly calls, the MILP and its repetition under every profile, are cached
by their inputs, so moving a weight slider stays quick. Saving, editing and deleting a user
set run as widget callbacks, before the tab is drawn, so its pickers follow the change in
the same rerun; their outcome is shown inside the tab (the app's flash messages are drawn
only on a full rerun, which a fragment does not make).
"""

from __future__ import annotations

from app_pages.views.packages.context import (
    COMPARE_KEY,
    EDIT_KEY,
    EXCLUDE_KEY,
    REQUIRE_KEY,
    SET_KEY,
    SIZE_KEY,
    TAB_KEY,
    editor_keys,
)
from app_pages.views.packages.layout import page

__all__ = [
    "COMPARE_KEY",
    "EDIT_KEY",
    "EXCLUDE_KEY",
    "REQUIRE_KEY",
    "SET_KEY",
    "SIZE_KEY",
    "TAB_KEY",
    "editor_keys",
    "page",
]
