"""The dashboard's pages and the shared pieces they use.

Pages (run by ``st.navigation`` in ``app.py``): rankings, tradeoffs, sources, perspectives,
editing. Shared: ``state`` (cached loading, session defaults, the current view), ``sidebar``
(profile, weights, filters, the URL), ``render`` (HTML and text helpers) and ``charts``
(Altair charts). Every computation lives in ``scoring``; these modules only draw.
"""
