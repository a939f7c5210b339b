"""``docgen check --fix``: a corrected copy of an input file, comments and layout kept.

The data is read (YAML with ruamel.yaml, JSON with json) and only the fields
the checks read are touched, each through :func:`docgen.proof.fix_text`; the
changed characters are then written back into the file's own text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docgen.loader import _inner_model, kind_of
from docgen.models import KINDS
from docgen.problems import InputError, Problem
from docgen.proof.fix_source import KeepLayoutError, edit_source
from docgen.proof.spots import SKIP, not_fields_of

Mend = Callable[[str], tuple[str, list[tuple[str, str]]]]


def fix_file(path: Path, mend: Mend) -> tuple[bytes, list[tuple[str, str, str]]]:
    """The fixed file's bytes and (field, before, after) for each change.

    The data is fixed as parsed; the changes are then carried back into the
    file's own text (fix_source), so comments, line endings, indentation and
    document markers stay exactly as written.
    """
    raw = path.read_bytes()
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    text = raw.decode("utf-8-sig")
    json_file = path.suffix.lower() == ".json"
    data = json.loads(text) if json_file else _yaml().load(text)
    changes = list(_fix_mapping(data, _model(data), "", mend))
    try:
        out = edit_source(text, data, json_file=json_file)
    except KeepLayoutError as exc:
        raise InputError([Problem(f"{exc}，请手工改正", file=str(path))]) from exc
    return (bom + out).encode("utf-8"), changes


def _yaml() -> Any:
    from ruamel.yaml import YAML

    return YAML()


def _colon_line(value: Any) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        key, rest = next(iter(value.items()))
        if isinstance(key, str) and (rest is None or isinstance(rest, str)):
            return f"{key}:" + ("" if rest is None else f" {rest}")
    return None


def _model(data: Any) -> type[BaseModel]:
    return KINDS[kind_of(dict(data))]


def _fix_mapping(data: Any, model: Any, where: str, mend: Mend) -> Iterator[tuple[str, str, str]]:
    fields = getattr(model, "model_fields", {})
    for name, info in fields.items():
        if name in SKIP:
            continue
        key = name if name in data else info.alias if info.alias in data else None
        if key is None:
            continue
        label = f"{where}.{key}" if where else key
        inner = _inner_model(info.annotation)
        new, changes = _fix_value(data[key], inner, label, mend)
        if new is not None:
            data[key] = new
        yield from changes


def _fix_value(value: Any, inner: Any, label: str, mend: Mend) -> tuple[Any, list]:
    colon = _colon_line(value) if not_fields_of(value, inner) else None
    if colon is not None:
        # - 现将有关事项函告如下:  is a key to YAML; the line it was meant to be, with a full-width ：.
        fixed, made = mend(colon)
        return fixed, [(label, colon, fixed)]
    if isinstance(value, str):
        fixed, made = mend(str(value))
        if not made:
            return None, []
        # Keep the scalar's style: a | block stays a block, a quoted string stays quoted.
        new = fixed if type(value) is str else type(value)(fixed)
        return new, [(label, a, b) for a, b in made]
    if isinstance(value, dict) and inner is not None:
        return None, list(_fix_mapping(value, inner, label, mend))
    if isinstance(value, list):
        changes = []
        for i, item in enumerate(value):
            new, made = _fix_value(item, inner, f"{label}[{i + 1}]", mend)
            if new is not None:
                value[i] = new
            changes += made
        return None, changes
    return None, []
