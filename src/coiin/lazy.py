"""Names a package imports on first use (PEP 562): a process that needs one of them does not
load, with the package, the modules (and libraries, such as scipy) behind the others.
``coiin.stats`` and ``coiin.reports.public.publication`` use it. No Django here: the pure
computation packages may use it."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of ``package``: each name in ``homes`` is imported from
    its module there (``homes[name]``, relative to the package) on first use, and kept in
    the package, so the next use finds it at once. Any other name is an AttributeError."""

    def __getattr__(name: str) -> Any:
        try:
            module = homes[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f".{module}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
