"""Input files → typed models, with every error said in Chinese at once."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml
from pydantic import BaseModel, ValidationError

from docgen.errors import os_error_text, yaml_error_text, yaml_problem  # noqa: F401 - importable from here too
from docgen.models import KIND_NAMES, KINDS
from docgen.models.parts import NUMBER_NOTES
from docgen.problems import InputError, Problem, excerpt

if TYPE_CHECKING:
    from docgen.models.documents import Document

MAX_INPUT_BYTES = 5_000_000  # a 公文 is a few KB; more is a wrong file, not a document
MAX_NODES = 200_000  # values after alias expansion; a long 纪要 has a few thousand


class LooseNumber:
    """A YAML number whose written form is not its value (000001 → 1, 10:30 → 630).

    Kept so the message can say what YAML did and how to quote the text.
    """

    text: str


class LooseInt(int, LooseNumber):
    pass


class LooseFloat(float, LooseNumber):
    pass


class DuplicateKey(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date gets our message, not a crash;
    refuses a key given twice; remembers how a number was written."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, yaml.Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    first = seen[key_node.value].start_mark
                    raise DuplicateKey(
                        problem=f"“{excerpt(key_node.value)}”写了两次（第{first.line + 1}行已有）；"
                        "请只保留一个，否则后写的会悄悄覆盖先写的",
                        problem_mark=key_node.start_mark,
                    )
                seen[key_node.value] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = super().construct_yaml_int(node)
        return _loose(LooseInt, value, node.value)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value = super().construct_yaml_float(node)
        return _loose(LooseFloat, value, node.value)


def _loose(cls: type, value: Any, text: str) -> Any:
    if text.strip() == str(value):
        return value
    out = cls(value)
    out.text = text
    return out


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


MAX_TEXT_CHARS = 200_000  # rendering takes about 2.5 s per 100,000 characters (PDF + Word)


def text_size(data: Any) -> int:
    """Characters of text in ``data`` (called after expanded_size, so the walk is bounded)."""
    if isinstance(data, str):
        return len(data)
    if isinstance(data, dict):
        return sum(text_size(k) + text_size(v) for k, v in data.items())
    if isinstance(data, (list, tuple)):
        return sum(text_size(v) for v in data)
    return 0


def expanded_size(data: Any, limit: int = MAX_NODES) -> int:
    """How many values ``data`` has once its aliases are expanded (stops counting past ``limit``).

    YAML aliases share one object, so the loaded data is small, but every
    walk over it (validation, messages, font cutting) sees the expansion.
    """
    memo: dict[int, int] = {}

    def size(v: Any) -> int:
        if isinstance(v, (list, tuple)):
            items: Any = v
        elif isinstance(v, dict):
            items = [x for kv in v.items() for x in kv]
        else:
            return 1
        got = memo.get(id(v))
        if got is None:
            memo[id(v)] = limit + 1  # a cycle counts as too big
            got = 1
            for x in items:
                got += size(x)
                if got > limit:
                    break
            memo[id(v)] = got
        return got

    try:
        return size(data)
    except RecursionError:
        return limit + 1


_KIND_ALIASES = {"函": "letter", "请示": "request", "纪要": "minutes", "督办单": "supervision"}


def read_data(path: Path) -> dict[str, Any]:
    """Parse a YAML or JSON file into a mapping, or raise InputError naming the spot."""
    file = str(path)
    try:
        if path.is_dir():
            raise InputError([Problem("这是一个文件夹，不是输入文件", file=file)])
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(
                [
                    Problem(
                        f"文件过大（超过 {MAX_INPUT_BYTES // 1_000_000} MB），不像是一份公文的输入",
                        file=file,
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(f"无法读取文件（{os_error_text(exc)}）", file=file)]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem("文件不是 UTF-8 编码：请在编辑器中另存为 UTF-8", file=file)]
        ) from exc
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text, object_pairs_hook=_json_pairs)
        else:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(f"JSON 格式有误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}", file=file)]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第{mark.line + 1}行第{mark.column + 1}列）" if mark else ""
        said = getattr(exc, "problem", None) or "无法解析"
        if not isinstance(exc, DuplicateKey):
            said = yaml_problem(str(said))
        raise InputError([Problem(f"YAML 格式有误{where}：{said}", file=file)]) from exc
    except RecursionError as exc:
        raise InputError([Problem("嵌套层数过多，无法读取", file=file)]) from exc
    except _DuplicateJsonKey as exc:
        raise InputError(
            [Problem(f"“{excerpt(exc.args[0])}”写了两次；请只保留一个", file=file)]
        ) from exc
    if expanded_size(data) > MAX_NODES:
        raise InputError(
            [
                Problem(
                    f"内容展开后超过 {MAX_NODES:,} 项（多为 YAML 锚点 & 与别名 * 层层引用所致）；"
                    "请直接写出内容",
                    file=file,
                )
            ]
        )
    if text_size(data) > MAX_TEXT_CHARS:
        raise InputError(
            [
                Problem(
                    f"文字总量超过 {MAX_TEXT_CHARS:,} 字（约 300 页），不像是一份公文；"
                    "请分成几份文件",
                    file=file,
                )
            ]
        )
    if not isinstance(data, dict):
        raise InputError([Problem("文件内容应为“字段: 值”形式的映射", file=file)])
    return data


class _DuplicateJsonKey(ValueError):
    pass


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateJsonKey(k)
        out[k] = v
    return out


def kind_of(data: dict[str, Any], file: str = "") -> str:
    kind = data.get("kind", data.get("类型"))
    if "kind" in data and "类型" in data:
        raise InputError(
            [
                Problem(
                    "kind 与 类型 是同一项，写了两次；请只保留一个", field="kind（类型）", file=file
                )
            ]
        )
    kind = _KIND_ALIASES.get(kind, kind) if isinstance(kind, str) else kind
    if not isinstance(kind, str) or kind not in KINDS:
        known = "、".join(f"{k}（{v}）" for k, v in KIND_NAMES.items())
        if kind is None:
            shown = "未填写"
        elif isinstance(kind, str):
            shown = f"“{excerpt(kind)}”无法识别"
        else:
            shown = f"应为一个词，现为“{excerpt(kind)}”"
        raise InputError(
            [Problem(f"文种 {shown}；应为 {known} 之一", field="kind（类型）", file=file)]
        )
    return kind


def build(data: dict[str, Any], file: str = "") -> Document:
    """Validate a mapping into its kind's model, raising every problem at once."""
    return build_noted(data, file)[0]


def build_noted(data: dict[str, Any], file: str = "") -> tuple[Document, list[Problem]]:
    """The model and the warnings its validation noted (a 发文字号's brackets mended),
    raising every problem at once. The warnings come from the one parse of each value."""
    kind = kind_of(data, file)
    model = KINDS[kind]
    payload = {k: v for k, v in data.items() if k not in ("kind", "类型")}
    payload["kind"] = kind
    early = given_twice(payload, model, file) + loose_numbers(payload, model, file)
    if early:
        raise InputError(early)
    context: dict[str, Any] = {}
    try:
        # KINDS holds the Document kinds only: what it validates is one of them.
        doc = cast("Document", model.model_validate(payload, context=context))
    except ValidationError as exc:
        raise InputError(translate_errors(exc, model, file)) from None
    noted = [
        Problem(note, field=field_label((name,), model), file=file, severity="warning")
        for name, note in context.get(NUMBER_NOTES, [])
    ]
    return doc, noted


def _walk(
    value: Any, model: Any, loc: tuple[Any, ...]
) -> Iterator[tuple[tuple[Any, ...], Any, Any]]:
    """(location, mapping, its model) for every mapping the model's fields hold."""
    if isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, model, (*loc, i))
        return
    if not isinstance(value, dict) or model is None:
        return
    yield loc, value, model
    fields = getattr(model, "model_fields", {})
    for key, v in value.items():
        for name, info in fields.items():
            if key in (name, info.alias):
                yield from _walk(v, _inner_model(info.annotation), (*loc, name))
                break


def given_twice(data: dict[str, Any], model: Any, file: str = "") -> list[Problem]:
    """title and 标题 in one mapping are one field written twice, not an unknown field."""
    out = []
    for loc, mapping, sub in _walk(data, model, ()):
        for name, info in getattr(sub, "model_fields", {}).items():
            if info.alias and name in mapping and info.alias in mapping:
                out.append(
                    Problem(
                        f"{name} 与 {info.alias} 是同一项，写了两次；请只保留一个",
                        field=_field_path((*loc, name), model),
                        file=file,
                    )
                )
    return out


def loose_numbers(data: dict[str, Any], model: Any, file: str = "") -> list[Problem]:
    """000001 unquoted is the number 1 to YAML: say so, and how to keep the text."""
    out = []
    for loc, mapping, sub in _walk(data, model, ()):
        fields = getattr(sub, "model_fields", {})
        for key, value in mapping.items():
            values = value if isinstance(value, list) else [value]
            for v in values:
                if isinstance(v, LooseNumber):
                    name = next((n for n, i in fields.items() if key in (n, i.alias)), str(key))
                    out.append(
                        Problem(
                            f"“{excerpt(v.text)}”没有加引号，YAML 把它读成了数字 {excerpt(v)}；"
                            f'要原样保留请加英文引号，写成 {excerpt(key)}: "{excerpt(v.text)}"',
                            field=_field_path((*loc, name), model),
                            file=file,
                        )
                    )
    return out


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
        if name.startswith("·"):
            continue  # a union's tag (models/tables.py), not a field
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


def field_label(loc: tuple[Any, ...], model: type[BaseModel]) -> str:
    """A field path as messages show it: 'attachments[2].title（附件[2].标题）'."""
    try:
        return _field_path(loc, model)
    except (IndexError, TypeError):
        return ".".join(str(p) for p in loc)


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
        return Problem(
            f"无法识别的字段“{excerpt(loc[-1])}”{hint}", field=excerpt(where, 80), file=file
        )
    field = _field_path(loc, model)
    return Problem(_message(kind, ctx, err), field=field, file=file)


def _colon_line(value: Any) -> str | None:
    """A line ending in a half-width colon, which YAML read as a key: say so and how to write it.

    ``- 现将有关事项函告如下:`` in a list is the mapping {现将有关事项函告如下: None}
    to YAML; without this the clerk is told only that text was expected.
    """
    if not (isinstance(value, dict) and len(value) == 1):
        return None
    key, rest = next(iter(value.items()))
    line = f"{key}:" + ("" if rest is None else f" {rest}")
    return (
        f"这一行“{excerpt(line)}”含半角冒号“: ”，YAML 把它读成了“键: 值”而不是文字。"
        '请改用全角冒号“：”，或给整行加引号（- "…如下:"），'
        "或把正文写成多行块（body: | 换行后每段一行）"
    )


def _message(kind: str, ctx: dict[str, Any], err: dict[str, Any]) -> str:
    if kind == "missing":
        return "缺少此项，请填写"
    if kind in ("string_type", "str_type"):
        colon = _colon_line(err.get("input"))
        if colon is not None:
            return colon
        return f"应填写文字，现为“{excerpt(err.get('input'))}”"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"日期“{excerpt(err.get('input'))}”无法识别；请写成 2025-07-07 的形式"
    if kind == "literal_error":
        # pydantic lists the choices as "'a', 'b' or 'c'": in Chinese, a、b、c.
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", ""))) or [
            ctx.get("expected", "")
        ]
        return f"只能填写 {'、'.join(map(str, choices))} 之一，现为“{excerpt(err.get('input'))}”"
    if kind == "string_pattern_mismatch":
        return f"“{excerpt(err.get('input'))}”格式不对；份号应为 6 位阿拉伯数字，如 000001"
    if kind in ("too_short", "string_too_short"):
        return "不能为空"
    if kind == "list_type":
        return "应为列表（每行以“- ”开头）"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "应为“字段: 值”形式的映射"
    if kind in ("int_type", "int_parsing"):
        return f"应填写整数，现为“{excerpt(err.get('input'))}”"
    bounds = {
        "less_than_equal": ("不能大于", "le"),
        "less_than": ("应小于", "lt"),
        "greater_than_equal": ("不能小于", "ge"),
        "greater_than": ("应大于", "gt"),
    }
    if kind in bounds:
        said, key = bounds[kind]
        return f"“{excerpt(err.get('input'))}”{said} {ctx.get(key)}"
    if kind in ("float_type", "float_parsing"):
        return f"应填写数字，现为“{excerpt(err.get('input'))}”"
    if kind == "value_error":
        return excerpt(str(ctx.get("error", err.get("msg"))), 300)
    if kind == "string_too_long":
        have = len(err.get("input") or "")
        return f"过长（{have} 字，最多 {ctx.get('max_length')} 字）；请精简"
    if kind == "too_long":
        return f"项数过多（最多 {ctx.get('max_length')} 项）"
    if kind in ("bool_type", "bool_parsing"):
        return f"应填写 是/否（true/false），现为“{excerpt(err.get('input'))}”"
    if kind in ("date_from_datetime_inexact",):
        return "日期不应带时间"
    # Any other pydantic error: a general Chinese phrase, never pydantic's English text.
    return f"填写有误（现为“{excerpt(err.get('input'))}”）"
