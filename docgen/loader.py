"""Input files → typed models, with every error said in Chinese at once."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from docgen.models import KIND_NAMES, KINDS
from docgen.problems import InputError, Problem


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date gets our message, not a crash."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_KIND_ALIASES = {"函": "letter", "请示": "request", "纪要": "minutes", "督办单": "supervision"}


def read_data(path: Path) -> dict[str, Any]:
    """Parse a YAML or JSON file into a mapping, or raise InputError naming the spot."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(f"无法读取文件（{exc.strerror}）", file=file)]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem("文件不是 UTF-8 编码：请在编辑器中另存为 UTF-8", file=file)]
        ) from exc
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(f"JSON 格式有误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}", file=file)]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第{mark.line + 1}行第{mark.column + 1}列）" if mark else ""
        raise InputError(
            [Problem(f"YAML 格式有误{where}：{getattr(exc, 'problem', exc)}", file=file)]
        ) from exc
    if not isinstance(data, dict):
        raise InputError([Problem("文件内容应为“字段: 值”形式的映射", file=file)])
    return data


def kind_of(data: dict[str, Any], file: str = "") -> str:
    kind = data.get("kind", data.get("类型"))
    kind = _KIND_ALIASES.get(kind, kind) if isinstance(kind, str) else kind
    if kind not in KINDS:
        known = "、".join(f"{k}（{v}）" for k, v in KIND_NAMES.items())
        shown = "未填写" if kind is None else f"“{kind}”无法识别"
        raise InputError(
            [Problem(f"文种 {shown}；应为 {known} 之一", field="kind（类型）", file=file)]
        )
    return str(kind)


def build(data: dict[str, Any], file: str = "") -> BaseModel:
    """Validate a mapping into its kind's model, raising every problem at once."""
    kind = kind_of(data, file)
    model = KINDS[kind]
    payload = {k: v for k, v in data.items() if k not in ("kind", "类型")}
    payload["kind"] = kind
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise InputError(translate_errors(exc, model, file)) from None


def load(path: str | Path) -> BaseModel:
    path = Path(path)
    data = read_data(path)
    return build(data, str(path))


# --- pydantic errors in Chinese ------------------------------------------------


def translate_errors(exc: ValidationError, model: type[BaseModel], file: str = "") -> list[Problem]:
    """Every error of a pydantic validation, said in Chinese with its field path."""
    return [_translate(err, model, file) for err in exc.errors()]


def _field_path(loc: tuple[Any, ...], model: type[BaseModel]) -> str:
    """('attachments', 1, 'title') → 'attachments[2].title（附件[2].标题）'."""
    english: list[str] = []
    chinese: list[str] = []
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            english[-1] += f"[{part + 1}]"
            chinese[-1] += f"[{part + 1}]"
            continue
        name = str(part)
        alias = name
        fields = getattr(current, "model_fields", {})
        if name in fields:
            info = fields[name]
            alias = info.alias or name
            current = _inner_model(info.annotation)
        else:
            for fname, info in fields.items():
                if info.alias == name:
                    name, alias = fname, info.alias
                    current = _inner_model(info.annotation)
                    break
        english.append(name)
        chinese.append(alias)
    eng, chi = ".".join(english), ".".join(chinese)
    return eng if eng == chi else f"{eng}（{chi}）"


def _inner_model(annotation: Any) -> Any:
    """The model inside list[Model] / Model | None, for walking error paths."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _known_keys(model: Any) -> list[str]:
    keys: list[str] = []
    for name, info in getattr(model, "model_fields", {}).items():
        keys.append(name)
        if info.alias:
            keys.append(info.alias)
    return keys


def _translate(err: Any, model: type[BaseModel], file: str) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        parent = model
        for part in loc[:-1]:
            if isinstance(part, str):
                info = getattr(parent, "model_fields", {}).get(part)
                parent = _inner_model(info.annotation) if info else parent
        near = difflib.get_close_matches(str(loc[-1]), _known_keys(parent), n=3, cutoff=0.5)
        hint = f"；是不是想写 {'、'.join(near)}？" if near else "；请删除或改正"
        prefix = _field_path(loc[:-1], model) if len(loc) > 1 else ""
        where = f"{prefix}.{loc[-1]}" if prefix else str(loc[-1])
        return Problem(f"无法识别的字段“{loc[-1]}”{hint}", field=where, file=file)
    field = _field_path(loc, model)
    return Problem(_message(kind, ctx, err), field=field, file=file)


def _message(kind: str, ctx: dict[str, Any], err: dict[str, Any]) -> str:
    if kind == "missing":
        return "缺少此项，请填写"
    if kind in ("string_type", "str_type"):
        return "应填写文字"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"日期“{err.get('input')}”无法识别；请写成 2025-07-07 的形式"
    if kind == "literal_error":
        return f"只能填写 {ctx.get('expected', '')}，现为“{err.get('input')}”"
    if kind == "string_pattern_mismatch":
        return f"“{err.get('input')}”格式不对；份号应为 6 位阿拉伯数字，如 000001"
    if kind in ("too_short", "string_too_short"):
        return "不能为空"
    if kind == "list_type":
        return "应为列表（每行以“- ”开头）"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "应为“字段: 值”形式的映射"
    if kind in ("int_type", "int_parsing"):
        return f"应填写整数，现为“{err.get('input')}”"
    bounds = {
        "less_than_equal": ("不能大于", "le"),
        "less_than": ("应小于", "lt"),
        "greater_than_equal": ("不能小于", "ge"),
        "greater_than": ("应大于", "gt"),
    }
    if kind in bounds:
        said, key = bounds[kind]
        return f"“{err.get('input')}”{said} {ctx.get(key)}"
    if kind in ("float_type", "float_parsing"):
        return f"应填写数字，现为“{err.get('input')}”"
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg")))
    return str(err.get("msg"))
