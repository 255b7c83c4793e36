"""The dashboard's pages and the shared pieces they use.

``frame`` is what ``app.py`` runs: loading, the sidebar, navigation. ``app_pages/<page>.py``
are the page files ``st.navigation`` runs (rankings, tradeoffs, sources, perspectives,
editing, documents, packages, brief, robustness); each calls ``page()`` in
``app_pages/views/<page>.py``. Shared: ``state`` (cached loading, session defaults, the
current view and method), ``sidebar`` (profile, weights, method, filters, the URL), ``render``
(HTML and text helpers) and the ``charts*`` modules (Altair charts). Every computation lives
in ``scoring``; these modules only draw.
"""
