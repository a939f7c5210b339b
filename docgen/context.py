"""The render context: the office's profile, the resolved fonts and the Word template.

Resolved once from plain values (a profile file, font files by role, a template
file) by :func:`resolve_context`, for every caller alike: the command line, the
batch, the workbench, the supervision reports and the benchmarks. What cannot be
resolved raises :class:`~docgen.errors.ContextError`, which each caller words for
its own users.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import ContextError
from docgen.fonts import FontError, FontSet, resolve_fonts
from docgen.profile import load_profile
from docgen.spec import FontRole, Profile, ProfileError


@dataclass(frozen=True)
class RenderContext:
    profile: Profile
    fonts: FontSet
    template: Path | None = None


def font_pairs(specs: Iterable[str]) -> list[tuple[str, str]]:
    """``ROLE=FILE`` strings (as a batch's settings keep them) → (role, file) pairs."""
    out = []
    for spec in specs:
        role, _, file = spec.partition("=")
        out.append((role.strip(), file))
    return out


def resolve_context(
    profile: str | Path | None = None,
    fonts: Iterable[tuple[str, str | Path]] = (),
    template: str | Path | None = None,
) -> RenderContext:
    """The profile (default when None), the fonts (bundled unless a role's file is given).

    ``fonts`` names files by role value (``fangsong``, ``xiaobiaosong``…); a
    profile's ``latin_font`` picks the Latin font. Every role and file is checked
    before any font is read.
    """
    try:
        prof = load_profile(profile)
    except ProfileError as exc:
        raise ContextError(str(exc), what="profile") from exc
    overrides: dict[FontRole, Path] = {}
    for role, file in fonts:
        try:
            overrides[FontRole(role)] = Path(file)
        except ValueError as exc:
            roles = "、".join(r.value for r in FontRole)
            raise ContextError(
                f"字体角色应为 {roles} 之一", what="font-role", role=role, file=str(file)
            ) from exc
        if not Path(file).is_file():
            raise ContextError(
                f"找不到字体文件 {file}", what="font-file", role=role, file=str(file)
            )
    try:
        font_set = resolve_fonts(overrides or None, latin=prof.latin_font)
    except FontError as exc:
        raise ContextError(str(exc), what="fonts") from exc
    return RenderContext(prof, font_set, Path(template) if template is not None else None)
