"""``recscore rank``'s table is built without pandas; it must match the pandas-built table
(the frame from :func:`scoring.tables.ranking_frame` through ``DataFrame.to_string``) byte
for byte, on arbitrary text and on the bundled catalog under every method and profile."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.cli.common import plain_table, table_text

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
