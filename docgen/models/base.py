"""The base of every part of a model, tables' included: aliases accepted, unknown keys refused."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from docgen.text.chars import clean_value


class Part(BaseModel):
    """Shared configuration: aliases accepted, unknown keys refused."""

    # coerce_numbers_to_str: YAML reads ``phone: 5221180`` as a number; where text is
    # expected it is simply the text the user wrote. defer_build: a model's validator is
    # built when first used, not at import: a batch uses a few of the dozens of kinds of
    # part, and its process starts ~25 ms sooner.
    model_config = ConfigDict(
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
        defer_build=True,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: object, info: ValidationInfo) -> object:
        """Control characters and bidi overrides refused, invisible ones dropped (text/chars.py)."""
        return clean_value(value)
