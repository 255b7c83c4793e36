"""The dashboard's pages and the shared pieces they use.

``app_pages/<page>.py`` are the page files ``st.navigation`` runs (rankings, tradeoffs,
sources, perspectives, editing); each calls ``page()`` in ``app_pages/views/<page>.py``.
Shared: ``state`` (cached loading, session defaults, the current view), ``sidebar``
(profile, weights, filters, the URL), ``render`` (HTML and text helpers) and ``charts``
(Altair charts). Every computation lives in ``scoring``; these modules only draw.
"""
