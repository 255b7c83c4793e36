"""The Robustness page; its code is in :mod:`app_pages.views.robustness`.

Streamlit compiles a page file on every AppTest run but imports a module once, so the
page file is kept to two lines.
"""

from app_pages.views import robustness

robustness.page()
