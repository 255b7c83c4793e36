"""The Brief page; its code is in :mod:`app_pages.views.brief`.

Streamlit compiles a page file on every AppTest run but imports a module once, so the
page file is kept to two lines (and the brief cache in the module lives across reruns).
"""

from app_pages.views import brief

brief.page()
