"""``recscore rank``'s table is built without pandas; it must match the pandas-built table
(the frame from :func:`scoring.tables.ranking_frame` through ``DataFrame.to_string``) byte
for byte, on arbitrary text and on the bundled catalog under every method and profile."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.cli import main
from scoring.cli.catalog import _STATUS_QUO_MARK, tie_at_top
from scoring.cli.common import plain_table, table_text
from scoring.tables import rank_label, ranking_frame

from conftest import REPO_ROOT

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


def _pandas_table(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The table as ``recscore rank`` built it with pandas (the code this path replaced)."""
    from scoring.cli import command_parser
    from scoring.cli.common import chosen_method, package_context
    from scoring.loading import load_catalog
    from scoring.methods import rank_by

    namespace = command_parser("rank").parse_args(args)
    namespace.root, namespace.workspace = REPO_ROOT, None
    catalog, _, profile, weights = package_context(
        load_catalog(REPO_ROOT), namespace, "", namespace.weights
    )
    ranking = rank_by(catalog, weights, chosen_method(namespace), source=f"profile {profile.id}")
    frame = ranking_frame(catalog, ranking)
    if namespace.top is not None:
        frame = frame.head(namespace.top)
    shown = frame[["rank", "score", "id", "title", "strongest", "weakest"]].copy()
    shown["rank"] = [
        rank_label(int(r), int(t)) for r, t in zip(frame["rank"], frame["tied"], strict=True)
    ]
    shown.insert(1, "tie", [str(int(t)) if t > 1 else "" for t in frame["tied"]])
    baseline = getattr(catalog.baseline, "id", None)
    shown["title"] = [
        f"{title} [{_STATUS_QUO_MARK}]"
        if rec_id == baseline
        else f"{title} (below status quo)"
        if below
        else title
        for rec_id, title, below in zip(
            frame["id"], frame["title"], frame["below_baseline"], strict=True
        )
    ]
    shown["score"] = [
        f"{score:.2f} [{low:.2f}-{high:.2f}]{' ~' if tie else ''}"
        for score, low, high, tie in zip(
            frame["score"], frame["low"], frame["high"], frame["near_tie_with_next"], strict=True
        )
    ]
    first = tie_at_top(frame)
    capsys.readouterr()
    return (first + "\n\n" if first else "") + table_text(shown)


ONE_CRITERION = ",".join(
    f"{cid}={1 if cid == 'time_to_effect' else 0}"
    for cid in ("leverage", "buy_in", "human_rights", "feasibility", "relationship_risk",
                "us_interests", "allied_support", "time_to_effect")
)  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ["--top", "3"],
        [],
        ["--method", "promethee_ii"],
        ["--method", "topsis", "--top", "10"],
        ["--decision-maker", "all"],
        ["--profile", "pressure", "--top", "7"],
        ["--profile", "engagement", "--method", "promethee_ii", "--decision-maker", "all"],
        ["--weights", ONE_CRITERION],  # fourteen tie for first: the tie sentence and order
        ["--weights", ONE_CRITERION, "--top", "3"],
    ],
)
def test_rank_table_matches_the_pandas_built_table(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: object,
) -> None:  # fmt: skip
    monkeypatch.setenv("RECSCORE_WORKSPACE", str(tmp_path))
    expected = _pandas_table(args, capsys)
    assert main(["--root", str(REPO_ROOT), "rank", *args]) == 0
    out = capsys.readouterr().out
    assert out.endswith(expected + "\n")
    assert out.count("\n") > 4
