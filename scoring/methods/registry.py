"""The registry of aggregation methods: every front and the brief ask it, never a name list.

``register`` adds a method class (its ``name`` must be new, and so must its settings'
names, since the CLI and the dashboard's links keep one option per setting); ``get`` returns
a class by name; ``names`` lists them in registration order (the built-ins first: weighted
sum, TOPSIS, PROMETHEE II). :func:`method_spec` turns a name or an object into an object.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from scoring.errors import Code, InputError
from scoring.methods.base import Method, Setting

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "METHOD_NAMES",
    "check_method",
    "get",
    "method_spec",
    "names",
    "register",
    "score_range",
    "setting_owners",
    "spec_settings",
    "unregister",
]

DEFAULT_METHOD = "weighted_sum"  # the standard: texts leave it unnamed, others they name
_REGISTRY: dict[str, type[Method]] = {}


def register(method: type[Method]) -> type[Method]:
    """Add ``method`` (a class); returns it, so it can decorate the class."""
    if method.name in _REGISTRY:
        raise ValueError(f"a method named {method.name!r} is already registered")
    taken = setting_owners()
    clash = [s.name for s in method.settings_schema() if s.name in taken]
    if clash:
        raise ValueError(f"settings {clash} of {method.name!r} are already another method's")
    _REGISTRY[method.name] = method
    return method


def unregister(name: str) -> None:
    """Remove a method registered at run time (tests)."""
    _REGISTRY.pop(name, None)


def names() -> tuple[str, ...]:
    """Every registered method's name, in registration order."""
    return tuple(_REGISTRY)


def get(name: str, source: str = "method") -> type[Method]:
    """The method class called ``name``; an InputError naming the choices otherwise."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise InputError(
            Code.UNKNOWN_METHOD,
            source,
            "",
            f"one of {list(_REGISTRY)}",
            repr(name),
            "pick an aggregation method from the list",
        ) from None


def method_spec(method: str | Method, source: str = "method") -> Method:
    """The method object for a name (default settings), or the object itself."""
    if isinstance(method, str):
        return get(method, source)()
    if type(method) in _REGISTRY.values():
        return method
    return get(method, source)()  # type: ignore[arg-type]  # reports the bad value


def check_method(method: str | Method, criterion_ids: Sequence[str]) -> Method:
    """The method object for ``method``, its settings checked against the criteria.

    Raises :class:`InputError` or :class:`ValidationError` naming each bad setting, as
    :func:`scoring.methods.rank_by` would, without ranking anything.
    """
    spec = method_spec(method)
    spec.check(criterion_ids)
    return spec


def spec_settings(method: str | Method) -> dict[str, Any]:
    """A method's settings by name (as :attr:`Ranking.settings`); a name gives the defaults."""
    return method_spec(method).settings()


def score_range(method: str | Method) -> tuple[float, float]:
    """The lowest and highest total ``method`` can give (for axes and bars)."""
    return method_spec(method).score_range


def setting_owners() -> dict[str, tuple[Setting, str]]:
    """Every registered setting by name, with the method that takes it."""
    return {
        setting.name: (setting, name)
        for name, method in _REGISTRY.items()
        for setting in method.settings_schema()
    }


class _Names(Sequence[str]):
    """``METHODS``: the registered names, read when used (a method registered later shows)."""

    def __getitem__(self, index: Any) -> Any:
        return names()[index]

    def __len__(self) -> int:
        return len(_REGISTRY)

    def __repr__(self) -> str:
        return repr(names())


class _DisplayNames(Mapping[str, str]):
    """``METHOD_NAMES``: name to display name, read when used."""

    def __getitem__(self, name: str) -> str:
        return _REGISTRY[name].display_name

    def __iter__(self) -> Iterator[str]:
        return iter(names())

    def __len__(self) -> int:
        return len(_REGISTRY)


METHODS: Sequence[str] = _Names()
METHOD_NAMES: Mapping[str, str] = _DisplayNames()
