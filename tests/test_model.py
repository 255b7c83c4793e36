def test_rows_of_and_row_mask_find_rows_by_dictionary_in_catalog_order() -> None:
    import numpy as np

    from scoring.synthetic import catalog_from_matrix

    catalog = catalog_from_matrix(np.full((5, 2), 3))
    ids = catalog.recommendation_ids
    assert catalog.rows_of([ids[3], ids[1], ids[3], "unknown"]).tolist() == [1, 3]
    assert catalog.row_mask([ids[0]]).tolist() == [True, False, False, False, False]
    assert catalog.rows_of([]).tolist() == []
    assert catalog.row_of(ids[4]) == 4


def test_rows_of_a_tuple_are_kept_read_only_and_equal_to_a_fresh_lookup() -> None:
    import numpy as np

    from scoring.synthetic import catalog_from_matrix

    catalog = catalog_from_matrix(np.arange(24).reshape(6, 4) % 5 + 1, [False] * 4)
    ids = catalog.recommendation_ids
    chosen = (ids[4], ids[1], "not-ranked", ids[1])
    rows = catalog.rows_of(chosen)
    assert rows.tolist() == [1, 4]
    assert catalog.rows_of(chosen) is rows  # the same tuple: kept
    assert not rows.flags.writeable  # shared, so nobody may change it
    assert catalog.rows_of(list(chosen)).tolist() == [1, 4]  # a list: looked up afresh
    for k in range(6):  # only the last few tuples are kept
        catalog.rows_of((ids[k],))
    assert catalog.rows_of(chosen) is not rows
    assert catalog.rows_of(chosen).tolist() == [1, 4]
