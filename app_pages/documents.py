"""The Documents page; its code is in :mod:`app_pages.views.documents`.

Streamlit compiles a page file on every AppTest run but imports a module once, so the
page file is kept to two lines.
"""

from app_pages.views import documents

documents.page()
