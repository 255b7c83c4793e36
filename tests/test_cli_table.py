"""``recscore rank``'s table is built without pandas; it must match the pandas-built table
(the frame from :func:`scoring.tables.ranking_frame` through ``DataFrame.to_string``) byte
for byte, on arbitrary text and on the bundled catalog under every method and profile."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.cli.catalog import _rank_rows
from scoring.cli.common import plain_table, table_text
from scoring.methods import METHODS, TIE_DECIMALS, rank_by
from scoring.model import Catalog
from scoring.robustness import DEFAULT_SCORE_MODEL, with_uncertainty
from scoring.tables import rank_label, ranking_frame

# Text a title or id can carry: tabs and newlines (escaped by pandas), accents, CJK, bidi.
cell = st.text(
    alphabet=st.sampled_from([*"ab Z09-~=;", "\t", "\n", "\r", "é", "中", "\u202e", "\u00a0"]),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.tuples(
            st.lists(
                st.text(alphabet="abcxyz_", min_size=1, max_size=6),
                min_size=width,
                max_size=width,
                unique=True,
            ),
            st.lists(st.lists(cell, min_size=width, max_size=width), min_size=1, max_size=6),
        )
    )
)
def test_plain_table_lays_out_text_as_pandas_does(table: tuple[list[str], list[list[str]]]) -> None:
    columns, rows = table
    assert plain_table(columns, rows) == table_text(pd.DataFrame(rows, columns=columns))


def _frame_table(catalog, ranking) -> str:  # type: ignore[no-untyped-def]
    """The rank table as the frame would print it: the reference for the pandas-free path."""
    frame = ranking_frame(catalog, ranking)
    baseline = getattr(catalog.baseline, "id", None)
    shown = pd.DataFrame(
        {
            "rank": [
                rank_label(int(r), int(t))
                for r, t in zip(frame["rank"], frame["tied"], strict=True)
            ],
            "tie": [str(int(t)) if t > 1 else "" for t in frame["tied"]],
            "score": [f"{round(s, TIE_DECIMALS):.2f}" for s in frame["score"]],
            "ranks 5-95%": [
                f"{int(a)}-{int(b)}"
                for a, b in zip(frame["rank_p5"], frame["rank_p95"], strict=True)
            ],
            "P(above next)": [
                "" if math.isnan(p) else f"{p:.2f}{' ~' if near else ''}"
                for p, near in zip(frame["p_above_next"], frame["near_tie_with_next"], strict=True)
            ],
            "id": frame["id"],
            "title": [
                f"{t} [STATUS QUO]" if i == baseline else f"{t} (below status quo)" if b else t
                for i, t, b in zip(
                    frame["id"], frame["title"], frame["below_baseline"], strict=True
                )
            ],
            "strongest": frame["strongest"],
            "weakest": frame["weakest"],
        }
    )
    return table_text(shown)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_rank_rows_match_the_ranking_frame_on_the_bundled_catalog(
    catalog: Catalog, method: str
) -> None:
    for profile in catalog.profiles.values():
        ranking = with_uncertainty(
            catalog, rank_by(catalog, profile.weights, method), DEFAULT_SCORE_MODEL
        )
        columns, rows = _rank_rows(catalog, ranking, None)
        assert plain_table(columns, rows) == _frame_table(catalog, ranking), profile.id
