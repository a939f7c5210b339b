"""Where docgen finds its own files (fonts, Word templates) and keeps the user's.

The repository keeps ``fonts/`` and ``templates/official/`` at its top, where
reviewers and the font build scripts expect them. A wheel maps both into the
package (``docgen/fonts/files``, beside the code of the ``docgen.fonts``
package, and ``docgen/templates/official``: pyproject's ``force-include``), so
an installed docgen finds them beside its code. In a
checkout (``pip install -e .``, ``PYTHONPATH``) the package folder has no copy
and the top-level folders are used. Nothing is looked up in the current
directory: a clerk runs docgen from wherever their documents are.

User data (the number register, drafts) goes where each platform keeps it:
``%LOCALAPPDATA%\\docgen`` on Windows, ``~/Library/Application Support/docgen``
on macOS, ``$XDG_DATA_HOME/docgen`` (``~/.local/share/docgen``) elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
APP_NAME = "docgen"


def _checkout_root() -> Path | None:
    """The repository root when docgen runs from a checkout, else None.

    Installed, the package's parent is site-packages, where a folder named
    ``fonts`` may belong to some other distribution: only a folder holding
    our pyproject.toml counts as a checkout.
    """
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() else None


def resource_path(*parts: str, in_package: tuple[str, ...] | None = None) -> Path:
    """A file or folder shipped with docgen, e.g. ``resource_path("templates", "official")``.

    Inside the package first (wheel install; at ``in_package`` when the wheel
    maps it elsewhere than ``parts``), then the checkout's top level. When
    neither exists the in-package path is returned, so an error message names
    where an installed docgen expected the file.
    """
    inside = PACKAGE_DIR.joinpath(*(in_package or parts))
    if inside.exists():
        return inside
    root = _checkout_root()
    if root is not None and root.joinpath(*parts).exists():
        return root.joinpath(*parts)
    return inside


def fonts_dir() -> Path:
    """The bundled fonts: ``$DOCGEN_FONTS_DIR`` if set, else the shipped ``fonts``."""
    env = os.environ.get("DOCGEN_FONTS_DIR")
    if env:
        return Path(env).expanduser()
    # docgen/fonts is the fonts package's code: the wheel puts the font files in a folder of it.
    return resource_path("fonts", in_package=("fonts", "files"))


def templates_dir() -> Path:
    """The official Word templates (``templates/official``)."""
    return resource_path("templates", "official")


def user_data_dir() -> Path:
    """The user's docgen data folder (not created here); ``$DOCGEN_DATA_DIR`` moves it.

    Local, not roaming, on Windows: a roaming profile copies files at logon
    and logoff, which an SQLite database in use does not survive well.
    """
    env = os.environ.get("DOCGEN_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False, roaming=False)


def user_cache_dir() -> Path:
    """The user's docgen cache folder (the system font scan); ``$DOCGEN_CACHE_DIR`` moves it."""
    env = os.environ.get("DOCGEN_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)
