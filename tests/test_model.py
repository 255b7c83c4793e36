def test_rows_of_and_row_mask_find_rows_by_dictionary_in_catalog_order() -> None:
    import numpy as np

    from scoring.synthetic import catalog_from_matrix

    catalog = catalog_from_matrix(np.full((5, 2), 3))
    ids = catalog.recommendation_ids
    assert catalog.rows_of([ids[3], ids[1], ids[3], "unknown"]).tolist() == [1, 3]
    assert catalog.row_mask([ids[0]]).tolist() == [True, False, False, False, False]
    assert catalog.rows_of([]).tolist() == []
    assert catalog.row_of(ids[4]) == 4
