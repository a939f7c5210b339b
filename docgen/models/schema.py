"""A kind's JSON Schema with Chinese labels: what a form is built from.

`docgen schema` prints the plain schema; this one adds, for every field, its
Chinese name as ``title`` (the alias users also write in YAML), the order a
clerk meets the parts on paper (``x-order``), which fields are rarely needed
(``x-advanced``) and which lists are paragraphs, one a line (``x-multiline``).
Nothing here changes what is valid: the model still decides that.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from docgen.models import KIND_NAMES, KINDS
from docgen.models.parts import _as_paragraphs

# Fields in the order they stand on the page, head to colophon, across all kinds.
DOCUMENT_ORDER = (
    "office meeting mark issue_no compiler issuer number form_title unit signers minutes_ref "
    "title recipients body items_intro items present absent attending attachments contact "
    "phone feedback_by signature mode issuers seal_image signer_title signer date note "
    "distribute cc printer print_date seq matter lead support deadline requirement"
).split()
# Seldom filled in, shown folded under “更多项目”.
ADVANCED = frozenset(
    "copy_no secrecy secrecy_term urgency mark printer print_date attachment_list items_intro "
    "items_file signer_title signer extra".split()
)
# Fields a page never offers: a path on the server's disk, or data only a table carries.
NOT_IN_FORMS = frozenset(("items_file", "extra", "kind"))


def labelled_schema(kind: str) -> dict[str, Any]:
    """JSON Schema of ``kind`` (letter, request, minutes, supervision) with Chinese labels."""
    model: type[BaseModel] = KINDS[kind]
    schema = model.model_json_schema(by_alias=False)
    schema["title"] = KIND_NAMES[kind]
    _label(schema, model)
    for cls in _nested_models(model):
        node = schema.get("$defs", {}).get(cls.__name__)
        if node is not None:
            _label(node, cls)
    return schema


def _label(node: dict[str, Any], model: type[BaseModel]) -> None:
    props: dict[str, Any] = node.get("properties", {})
    for name, info in model.model_fields.items():
        prop = props.get(name)
        if prop is None:
            continue
        if info.alias:
            prop["title"] = info.alias
        if name in ADVANCED:
            prop["x-advanced"] = True
        if name in NOT_IN_FORMS:
            prop["x-hidden"] = True
        if any(getattr(m, "func", None) is _as_paragraphs for m in info.metadata):
            prop["x-multiline"] = True
        labels = _enum_labels(prop)
        if labels:
            prop["x-enum-labels"] = labels
    rank = {n: i for i, n in enumerate(DOCUMENT_ORDER)}
    node["x-order"] = sorted(props, key=lambda n: (rank.get(n, len(rank)), list(props).index(n)))


def _enum_labels(prop: dict[str, Any]) -> dict[str, str]:
    """“sealed 加盖印章 / unsealed 不加盖印章” in a description → {value: label}."""
    values = prop.get("enum") or []
    labels: dict[str, str] = {}
    for piece in str(prop.get("description", "")).split("/"):
        value, _, label = piece.strip().partition(" ")
        if value in values and label:
            labels[value] = label.strip()
    return labels


def _nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model reachable from ``model``'s fields (attachments, signature, items …)."""
    found: list[type[BaseModel]] = []

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found:
                found.append(annotation)
                for info in annotation.model_fields.values():
                    walk(info.annotation)
            return
        for arg in getattr(annotation, "__args__", ()) or ():
            walk(arg)

    for info in model.model_fields.values():
        walk(info.annotation)
    return found
