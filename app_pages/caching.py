"""The app's one cache mechanism: :func:`cached`, a process-wide ``st.cache_resource``.

The rule, for every page and chart module in ``app_pages/``:

- Anything worth keeping between reruns is cached with :func:`cached`, never with
  ``functools.lru_cache``, an ``OrderedDict`` or a module-level dict (an architecture test
  forbids them), so there is one place that says how long a value lives and how it is keyed.
- ``cached`` is ``st.cache_resource``, not ``st.cache_data``: what the app caches is frozen
  engine results (rankings, SMAA results, packages, the catalog) and chart templates, so every
  session can share the one object instead of unpickling a copy on every rerun. Callers
  therefore never mutate a cached value: they derive a new one (``DataFrame.rename``,
  ``charts.with_data``'s copy of a template).
- The key is the hashed arguments. An argument whose name starts with ``_`` (a catalog, the
  interactions) is not hashed, so a hashed argument beside it must identify its contents: a
  content digest or the files' size and modification time, never just a path.
- A failing call raises and caches nothing, so the next rerun tries again.
- ``max_entries`` bounds every cache: values are shared by all sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import streamlit as st

__all__ = ["cached"]

F = TypeVar("F", bound=Callable[..., Any])


def cached(
    max_entries: int, spinner: str | bool = False, ttl: float | None = None
) -> Callable[[F], F]:
    """Cache a function's results across reruns and sessions (see the module's rule).

    ``spinner`` is the text shown while a slow call runs (``False``: none); ``ttl``, in
    seconds, bounds how stale a value may be when no key can tell (``None``: unbounded).
    """

    def decorate(function: F) -> F:
        wrapped = st.cache_resource(show_spinner=spinner, max_entries=max_entries, ttl=ttl)
        return cast("F", wrapped(function))  # same call signature; Streamlit adds .clear()

    return decorate
