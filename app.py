"""recscore's dashboard: ``uv run streamlit run app.py`` (add ``-- --workspace DIR`` to choose
where edits and saved profiles go; default ``$RECSCORE_WORKSPACE``, else ``./workspace``).

The frame (loading, sidebar, navigation) is in ``app_pages/frame.py``, pages in
``app_pages/``, every computation in ``scoring/``.
"""

from app_pages.frame import run

run()
