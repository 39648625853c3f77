"""The stage registry: stage names to stage classes.

Stages register themselves with :func:`register`; third-party packages add theirs through the
``textfix.stages`` entry-point group.
"""

from __future__ import annotations

import dataclasses
import importlib
from importlib.metadata import entry_points
from typing import Any, TypeVar

from textfix.errors import ConfigError, UnknownStageError

__all__ = ["available_stages", "get_stage", "get_stage_class", "register"]

_REGISTRY: dict[str, type[Any]] = {}
_LOADED = False

T = TypeVar("T", bound=type[Any])


def register(cls: T) -> T:
    """Class decorator that adds a stage class to the registry under ``cls.name``.

    Raises:
        ConfigError: The name is missing or already taken by another class.
    """
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        msg = f"{cls.__qualname__} has no 'name' class attribute"
        raise ConfigError(msg)
    other = _REGISTRY.get(name)
    if other is not None and other is not cls:
        if (other.__module__, other.__qualname__) != (cls.__module__, cls.__qualname__):
            msg = f"stage name {name!r} is already registered by {other.__qualname__}"
            raise ConfigError(msg)
    _REGISTRY[name] = cls
    return cls


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    importlib.import_module("textfix.stages")
    for ep in entry_points(group="textfix.stages"):
        register(ep.load())


def available_stages() -> dict[str, type[Any]]:
    """Return every registered stage class by name, built-in and plug-in, sorted by name."""
    _load_all()
    return dict(sorted(_REGISTRY.items()))


def get_stage_class(name: str) -> type[Any]:
    """Return the stage class registered as ``name``.

    Raises:
        UnknownStageError: No stage has that name; the message lists the known ones.
    """
    _load_all()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownStageError(name, _REGISTRY) from None


def get_stage(name: str, **params: Any) -> Any:
    """Build the stage ``name`` with the given settings.

    Raises:
        UnknownStageError: No stage has that name.
        ConfigError: A setting is not a field of the stage, or has a bad value.
    """
    cls = get_stage_class(name)
    fields = {f.name for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(params) - fields)
    if unknown:
        msg = (
            f"stage {name!r} has no setting {', '.join(map(repr, unknown))}; "
            f"its settings are: {', '.join(sorted(fields)) or 'none'}"
        )
        raise ConfigError(msg)
    try:
        return cls(**params)
    except TypeError as exc:
        msg = f"stage {name!r}: {exc}"
        raise ConfigError(msg) from None
