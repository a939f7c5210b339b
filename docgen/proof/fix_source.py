"""Carry ``--fix``'s changes back into the file's own text, character by character.

Re-dumping a parsed YAML file loses what the parser does not keep: a comment
on a list item YAML read as a key, CRLF line endings, the author's
indentation, ``---``/``...`` markers. So the file is never re-dumped: each
scalar whose value changed is found in the source by its node's marks, its
value's characters are lined up with the source's, and only the characters
that differ are replaced. The result is parsed again and must give exactly
the fixed data; a scalar that cannot be edited that way (an escape sequence
under a change) is rewritten whole as a double-quoted string instead.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# What a scalar's source may hold between its value's characters: quoting,
# escapes, folded line breaks and indentation.
_SYNTAX = frozenset(" \t\r\n'\"\\")


class KeepLayoutError(ValueError):
    """The changes cannot be written without re-laying out the file."""


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Change:
    """One scalar (or a list item YAML read as ``key:``) whose value changed."""

    start: int
    end: int
    old: str  # the value as parsed; the source span's own text for a key line
    new: str
    literal: bool  # old is the source text itself (no quoting to see through)
    block: bool  # a | or > scalar: its header line is not part of the value


def edit_source(text: str, fixed: Any, *, json_file: bool = False) -> str:
    """``text`` with every scalar that differs in ``fixed`` edited in place."""
    from ruamel.yaml import YAML

    yaml = YAML()
    node = yaml.compose(text)
    original = yaml.load(text)
    changes = list(_changes(node, original, fixed, text))
    if not changes:
        return text
    want = plain(fixed)
    # Boldest first: a run may cross a folded line break (the lines join);
    # then only runs the source holds as they are; then whole scalars quoted.
    for tier in (_ACROSS, _CONTIGUOUS, _QUOTED):
        # dict.fromkeys: an anchored scalar met again through an alias is edited once.
        edits = list(dict.fromkeys(e for c in changes for e in _edits(c, text, tier)))
        new = _apply(text, edits)
        if _reads_as(new, want, json_file):
            return new
    raise KeepLayoutError("改正后的文件无法保持原有排版")


def plain(value: Any) -> Any:
    """The data without ruamel's comment-carrying types, for comparison."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _reads_as(text: str, want: Any, json_file: bool) -> bool:
    from ruamel.yaml import YAML

    try:
        got = json.loads(text) if json_file else YAML(typ="safe", pure=True).load(text)
    except Exception:  # noqa: BLE001 - any parse failure means "try the safer edit"
        return False
    return plain(got) == (json.loads(json.dumps(want, default=str)) if json_file else want)


def _changes(node: Any, before: Any, after: Any, text: str) -> Iterator[_Change]:
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, ScalarNode):
        if isinstance(after, str) and isinstance(before, str) and str(before) != str(after):
            start, end = _past_properties(text, node.start_mark.index), node.end_mark.index
            block = node.style in ("|", ">")
            yield _Change(start, end, str(before), str(after), False, block)
    elif isinstance(node, SequenceNode) and isinstance(before, list) and isinstance(after, list):
        for item, b, a in zip(node.value, before, after):
            yield from _changes(item, b, a, text)
    elif isinstance(node, MappingNode) and isinstance(before, dict):
        if isinstance(after, str):  # "- 如下:" read as a key, fixed to the line it was meant to be
            yield _key_line(node, after, text)
            return
        if not isinstance(after, dict):
            return
        for key_node, value_node in node.value:
            key = getattr(key_node, "value", None)
            if isinstance(key, str) and key in before and key in after:
                yield from _changes(value_node, before[key], after[key], text)


def _past_properties(text: str, at: int) -> int:
    """Where a scalar's own text starts: after an anchor (&p) or a tag (!!str) before it."""
    while at < len(text) and text[at] in "&!":
        while at < len(text) and not text[at].isspace():
            at += 1
        while at < len(text) and text[at] in " \t":
            at += 1
    return at


def _key_line(node: Any, after: str, text: str) -> _Change:
    key_node, value_node = node.value[0]
    start = key_node.start_mark.index
    if value_node.start_mark.index == value_node.end_mark.index:  # "key:" with nothing after
        end = text.index(":", key_node.end_mark.index) + 1
    else:
        end = value_node.end_mark.index
    return _Change(start, end, text[start:end], after, True, False)


_ACROSS, _CONTIGUOUS, _QUOTED = range(3)


def _edits(change: _Change, text: str, tier: int) -> list[_Edit]:
    positions = None if tier == _QUOTED else _line_up(change, text)
    if positions is None:
        return [_quoted(change, text)]
    edits = []
    matcher = difflib.SequenceMatcher(None, change.old, change.new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:  # an insertion goes after the character before it
            at = positions[i1 - 1] + 1 if i1 else positions[0]
            edits.append(_Edit(at, at, change.new[j1:j2]))
            continue
        start, end = positions[i1], positions[i2 - 1] + 1
        if tier == _ACROSS and change.old[i2 - 1].isspace() and i2 < len(positions):
            end = positions[i2]  # a folded line break taken out: its indentation goes too
        if tier == _CONTIGUOUS and end - start != i2 - i1:  # crosses a line break or an escape
            return [_quoted(change, text)]
        edits.append(_Edit(start, end, change.new[j1:j2]))
    return edits


def _line_up(change: _Change, text: str) -> list[int] | None:
    """Where each of the value's characters stands in the source, or None."""
    if change.literal:
        return list(range(change.start, change.end))
    at = change.start
    if change.block:  # skip the "|" or ">" header line
        at = text.index("\n", change.start, change.end) + 1
    positions = []
    for ch in change.old:
        while at < change.end and text[at] != ch:
            if text[at] not in _SYNTAX:
                return None
            at += 1
        if at >= change.end:
            return None
        positions.append(at)
        at += 1
    return positions


def _quoted(change: _Change, text: str) -> _Edit:
    """The whole scalar as one double-quoted string, its trailing line breaks kept."""
    span = text[change.start : change.end]
    tail = span[len(span.rstrip(" \t\r\n")) :] if change.block else ""
    return _Edit(change.start, change.end, json.dumps(change.new, ensure_ascii=False) + tail)


def _apply(text: str, edits: list[_Edit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text
