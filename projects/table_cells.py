"""django-tables2 reads the signature of a column's ``render_…`` or ``value_…`` method
(``inspect.signature``) for every cell it renders, to pass the method only the arguments it
names: a tenth of the project list's server time, for an answer that never changes. The
signature of a function is kept here, once per function; a bound method's is its function's
without ``self``, as ``inspect.signature`` gives it. Installed at start-up (apps.py)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django_tables2 import utils

_computed = utils.signature  # the library's own: what this keeps, unchanged


@functools.lru_cache(maxsize=2048)
def _kept(function: Callable[..., Any], bound: bool) -> tuple[tuple[str, ...], str | None]:
    args, keywords = _computed(function)
    if not bound:
        return args, keywords
    # A bound method's signature is its function's without the first positional argument
    # (the instance), as inspect.signature gives it; a first *args stays.
    first = next(iter(inspect.signature(function).parameters.values()), None)
    if first is not None and first.kind in (first.POSITIONAL_ONLY, first.POSITIONAL_OR_KEYWORD):
        return args[1:], keywords
    return args, keywords


def signature(fn: Callable[..., Any]) -> tuple[tuple[str, ...], str | None]:
    """``django_tables2.utils.signature(fn)``, computed once per function."""
    if inspect.ismethod(fn) and inspect.isfunction(fn.__func__):
        return _kept(fn.__func__, True)
    if inspect.isfunction(fn):
        return _kept(fn, False)
    return _computed(fn)  # anything else (a partial, a callable object): as before


def install() -> None:
    utils.signature = signature
