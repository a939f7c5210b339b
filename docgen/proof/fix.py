"""``docgen check --fix``: a corrected copy of an input file, comments and layout kept.

YAML is edited in place with ruamel.yaml's round-trip mode (comments, key
order, quoting and block styles survive); JSON keeps its key order. Only the
fields the checks read are touched, each through :func:`docgen.proof.fix_text`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docgen.loader import _inner_model, kind_of
from docgen.models import KINDS
from docgen.proof.spots import SKIP, not_fields_of

Mend = Callable[[str], tuple[str, list[tuple[str, str]]]]
# Indentation styles tried in turn: the one that reproduces the file unchanged is kept.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (2, 2, 2))


def fix_file(path: Path, mend: Mend) -> tuple[bytes, list[tuple[str, str, str]]]:
    """The fixed file's bytes and (field, before, after) for each change."""
    text = path.read_bytes().decode("utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        changes = list(_fix_mapping(data, _model(data), "", mend))
        out = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        return out.encode("utf-8"), changes
    yaml = _yaml(text)
    data = yaml.load(text)
    changes = list(_fix_mapping(data, _model(data), "", mend))
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue().encode("utf-8"), changes


def _yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    best = None
    for mapping, sequence, offset in _INDENTS:
        y = YAML()
        y.preserve_quotes = True
        y.width = 1 << 16  # never re-wrap a long line
        y.indent(mapping=mapping, sequence=sequence, offset=offset)
        buf = io.StringIO()
        y.dump(y.load(text), buf)
        if buf.getvalue() == text:
            return y
        best = best or y
    return best


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
