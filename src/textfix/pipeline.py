"""Pipelines: an ordered, picklable tuple of stages, built from TOML presets."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from textfix.edits import Edit, Fixed, Step, compose, sorted_edits, splice
from textfix.errors import ConfigError, OverlappingEditsError
from textfix.registry import get_stage, get_stage_class

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["Pipeline", "available_presets", "load_preset", "stage_params"]

BYTES_ERROR_TEXT = (
    "textfix works on str, not bytes. Decode the bytes first, for example with "
    "data.decode('utf-8') or data.decode('utf-8', errors='replace') if the encoding is "
    "uncertain; the command line does this for you (see --encoding and --errors)."
)


def stage_params(stage: Any) -> dict[str, Any]:
    """Return the settings of ``stage`` that differ from their defaults."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(stage):
        if not f.init:
            continue
        value = getattr(stage, f.name)
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            out[f.name] = value
            continue
        if value != default:
            out[f.name] = value
    return out


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list, frozenset, set)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ",".join(_format_value(v) for v in items)
    return str(value)


def _check_text(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise TypeError(BYTES_ERROR_TEXT)
    msg = f"expected str, got {type(text).__name__}"
    raise TypeError(msg)


def _stage_edits(stage: Any, text: str) -> list[Edit]:
    try:
        return sorted_edits(text, stage.edits(text))
    except OverlappingEditsError as exc:
        msg = f"stage {stage.name!r}: {exc}"
        raise OverlappingEditsError(msg) from None


@dataclass(frozen=True, slots=True)
class Pipeline:
    """An ordered composition of stages, run once each, in order.

    Args:
        stages: The stages, in the order they run.
        name: A label for the pipeline, such as the preset it came from.

    >>> from textfix.registry import get_stage
    >>> pipe = Pipeline((get_stage("expand_ligatures"),))
    >>> pipe("ﬁnal eﬀort")
    'final effort'
    """

    stages: tuple[Any, ...]
    name: str = "custom"

    def __post_init__(self) -> None:
        stages = tuple(self.stages)
        for stage in stages:
            if not (hasattr(stage, "edits") and isinstance(getattr(stage, "name", None), str)):
                msg = f"{stage!r} is not a stage (it needs a 'name' and an 'edits' method)"
                raise ConfigError(msg)
        object.__setattr__(self, "stages", stages)

    def __call__(self, text: str) -> str:
        """Clean ``text`` and return the result."""
        text = _check_text(text)
        for stage in self.stages:
            edits = _stage_edits(stage, text)
            if edits:
                text = splice(text, edits)
        return text

    def explain(self, text: str) -> Fixed:
        """Clean ``text`` and return the result with every edit that produced it.

        Returns:
            A :class:`~textfix.edits.Fixed` whose ``steps`` hold each stage's edits (offsets
            into the text that stage received) and whose ``edits`` hold the same changes as
            offsets into ``text``.
        """
        source = _check_text(text)
        steps: list[Step] = []
        total: list[Edit] = []
        for stage in self.stages:
            edits = _stage_edits(stage, text)
            steps.append(Step(stage.name, stage_params(stage), tuple(edits)))
            if edits:
                total = compose(total, edits, text)
                text = splice(text, edits)
        return Fixed(text, tuple(steps), source, tuple(total))

    def signature(self) -> str:
        """Describe every setting that affects the output, in one line.

        The form is ``stage|stage:key=value|dicts:DIGEST|v:VERSION``, listing each stage with
        its non-default settings, a digest of the dictionaries, and the textfix version.
        """
        from textfix import __version__
        from textfix.resources import dictionary_digest

        parts = []
        for stage in self.stages:
            params = stage_params(stage)
            if params:
                opts = ",".join(f"{k}={_format_value(v)}" for k, v in sorted(params.items()))
                parts.append(f"{stage.name}:{opts}")
            else:
                parts.append(stage.name)
        parts.append(f"dicts:{dictionary_digest()}")
        parts.append(f"v:{__version__}")
        return "|".join(parts)

    def select(self, *, only: Iterable[str] | None = None, skip: Iterable[str] = ()) -> Pipeline:
        """Return a pipeline with a subset of the stages, in their original order.

        Args:
            only: Keep only these stage names (each must be in the pipeline).
            skip: Drop these stage names (each must be in the pipeline).

        Raises:
            ConfigError: A name is not a stage of this pipeline.
        """
        names = [s.name for s in self.stages]
        only_set = set(only) if only is not None else None
        skip_set = set(skip)
        missing = sorted(((only_set or set()) | skip_set) - set(names))
        if missing:
            msg = (
                f"stage(s) {', '.join(missing)} not in pipeline {self.name!r}; "
                f"its stages are: {', '.join(names)}"
            )
            raise ConfigError(msg)
        kept = tuple(
            s
            for s in self.stages
            if (only_set is None or s.name in only_set) and s.name not in skip_set
        )
        return Pipeline(kept, self.name)

    def replace_stage(self, name: str, **changes: Any) -> Pipeline:
        """Return a pipeline where stage ``name`` has some settings changed.

        Raises:
            ConfigError: No stage has that name, or a setting is unknown or invalid.
        """
        out = []
        found = False
        for stage in self.stages:
            if stage.name == name:
                found = True
                try:
                    stage = dataclasses.replace(stage, **changes)
                except TypeError as exc:
                    msg = f"stage {name!r}: {exc}"
                    raise ConfigError(msg) from None
            out.append(stage)
        if not found:
            msg = f"stage {name!r} is not in pipeline {self.name!r}"
            raise ConfigError(msg)
        return Pipeline(tuple(out), self.name)

    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, name: str = "custom") -> Pipeline:
        """Build a pipeline from a mapping shaped like a preset file.

        The mapping has a ``stage`` list; each entry has a ``name`` and the stage's settings.
        Lists become tuples, so the stages stay hashable.

        >>> Pipeline.from_config({"stage": [{"name": "expand_ligatures"}]}).signature()[:16]
        'expand_ligatures'

        Raises:
            ConfigError: The mapping is malformed or a setting is invalid.
            UnknownStageError: A stage name is not registered.
        """
        entries = config.get("stage")
        if not isinstance(entries, list):
            msg = "a pipeline config needs a list of [[stage]] tables"
            raise ConfigError(msg)
        stages = []
        for i, entry in enumerate(entries, 1):
            if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
                msg = f"[[stage]] number {i} has no 'name'"
                raise ConfigError(msg)
            params = {k: _freeze(v) for k, v in entry.items() if k != "name"}
            get_stage_class(entry["name"])
            stages.append(get_stage(entry["name"], **params))
        return cls(tuple(stages), str(config.get("name", name)))

    @classmethod
    def from_stages(cls, names: Sequence[str]) -> Pipeline:
        """Build a pipeline of the named stages with their default settings."""
        return cls(tuple(get_stage(n) for n in names))


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def available_presets() -> list[str]:
    """Return the names of the presets that ship with textfix."""
    root = files("textfix") / "presets"
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))


_PRESET_CACHE: dict[str, Pipeline] = {}


def load_preset(name_or_path: str | Path) -> Pipeline:
    """Load a shipped preset by name, or a preset file by path.

    Args:
        name_or_path: A preset name such as ``"default"``, or a path to a ``.toml`` file.

    Raises:
        ConfigError: The preset does not exist or is not valid TOML.
    """
    key = str(name_or_path)
    is_file = isinstance(name_or_path, Path) or key.endswith(".toml")
    cached = None if is_file else _PRESET_CACHE.get(key)
    if cached is not None:
        return cached
    if is_file:
        path = Path(key)
        try:
            data = path.read_text(encoding="utf-8")
        except OSError as exc:
            msg = f"cannot read preset file {key}: {exc.strerror or exc}"
            raise ConfigError(msg) from None
        label = path.stem
    else:
        res = files("textfix") / "presets" / f"{key}.toml"
        if not res.is_file():
            msg = f"unknown preset {key!r}; available: {', '.join(available_presets())}"
            raise ConfigError(msg)
        data = res.read_text(encoding="utf-8")
        label = key
    try:
        config = tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        msg = f"preset {key}: invalid TOML: {exc}"
        raise ConfigError(msg) from None
    pipe = Pipeline.from_config(config, name=label)
    if not is_file:
        _PRESET_CACHE[key] = pipe
    return pipe
