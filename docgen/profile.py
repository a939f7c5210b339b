"""An office's profile file (YAML) read into a :class:`~docgen.spec.Profile`.

Apart from spec.py, which holds the numbers and must import nothing of docgen:
reading a file needs the loader's Chinese wording of YAML and validation errors.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from docgen.errors import os_error_text, yaml_error_text
from docgen.loader import translate_errors
from docgen.spec import Profile, ProfileError


def load_profile(path: str | Path | None = None) -> Profile:
    """The default profile, or one with an office's YAML overrides applied."""
    if path is None:
        return Profile()
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ProfileError(f"{p}: 无法读取版式配置文件（{os_error_text(exc)}）") from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{p}: 版式配置文件不是 UTF-8 文本；请在编辑器中另存为 UTF-8") from exc
    except RecursionError as exc:
        raise ProfileError(f"{p}: 版式配置文件嵌套层数过多") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(f"{p}: 版式配置文件不是有效的 YAML：{yaml_error_text(exc)}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{p}: 版式配置文件应为“键: 值”形式")
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        said = "；".join(str(problem) for problem in translate_errors(exc, Profile, str(p)))
        raise ProfileError(f"版式配置有误：{said}") from None
