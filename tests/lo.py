"""LibreOffice as the test renderer of .docx files.

One ``soffice --convert-to pdf`` call per chunk of at most 200 files: start-up
costs about 1.7 s and each document about 0.15 s, and LibreOffice 7.4 silently
stops after about 246 input files while still exiting 0, so every output is
checked.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CHUNK = 200
_CANDIDATES = ("soffice", "libreoffice")
_FALLBACK_PATHS = ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice")

_profile_lock = threading.Lock()
_profile_dir: Path | None = None


class ConversionError(RuntimeError):
    pass


def find_soffice() -> str | None:
    """Path of the soffice binary, or None when LibreOffice is not installed."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    for p in _FALLBACK_PATHS:
        if os.access(p, os.X_OK):
            return p
    return None


def _profile() -> Path:
    """A private LibreOffice user profile for this process (reused: warm starts)."""
    global _profile_dir
    if _profile_dir is None:
        _profile_dir = Path(tempfile.mkdtemp(prefix="docgen-lo-profile-"))
        atexit.register(shutil.rmtree, _profile_dir, True)
    return _profile_dir


def soffice_convert(
    docx_paths: list[Path],
    outdir: Path,
    fonts_conf: Path | None = None,
    *,
    soffice: str | None = None,
    timeout: float | None = None,
) -> list[Path]:
    """Convert .docx files to PDF in ``outdir``; return the PDFs in input order.

    Raises :class:`ConversionError` if soffice fails, times out, or any PDF is
    missing or empty afterwards.
    """
    binary = soffice or find_soffice()
    if binary is None:
        raise ConversionError("LibreOffice (soffice) not found; install libreoffice-writer-nogui")
    paths = [Path(p).resolve() for p in docx_paths]
    for p in paths:
        if not p.is_file():
            raise ConversionError(f"input does not exist: {p}")
    stems = [p.stem for p in paths]
    dups = sorted({s for s in stems if stems.count(s) > 1})
    if dups:
        raise ConversionError(f"inputs would overwrite each other's PDF (same stem): {dups}")
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    outputs = [outdir / f"{p.stem}.pdf" for p in paths]
    for o in outputs:  # stale files must not pass the existence check
        o.unlink(missing_ok=True)

    env = os.environ.copy()
    if fonts_conf is not None:
        env["FONTCONFIG_FILE"] = str(Path(fonts_conf).resolve())

    with _profile_lock:  # one soffice per profile at a time
        profile_url = _profile().as_uri()
        for start in range(0, len(paths), CHUNK):
            chunk = paths[start : start + CHUNK]
            cmd = [
                binary,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile_url}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, chunk),
            ]
            limit = timeout if timeout is not None else 120 + 3 * len(chunk)
            t0 = time.monotonic()
            try:
                proc = subprocess.run(
                    cmd, env=env, capture_output=True, text=True, timeout=limit, check=False
                )
            except subprocess.TimeoutExpired as exc:
                raise ConversionError(
                    f"soffice timed out after {limit:.0f} s converting {len(chunk)} file(s) "
                    f"starting with {chunk[0].name}"
                ) from exc
            elapsed = time.monotonic() - t0
            missing = [
                o
                for o in outputs[start : start + CHUNK]
                if not o.is_file() or o.stat().st_size == 0
            ]
            if proc.returncode != 0 or missing:
                names = ", ".join(o.name for o in missing[:10])
                more = f" (+{len(missing) - 10} more)" if len(missing) > 10 else ""
                raise ConversionError(
                    f"soffice exit {proc.returncode} after {elapsed:.1f} s; "
                    f"{len(missing)} of {len(chunk)} PDF(s) missing in {outdir}: {names}{more}\n"
                    f"command: {' '.join(cmd[:8])} ...\n"
                    f"stdout: {proc.stdout.strip()[-2000:]}\nstderr: {proc.stderr.strip()[-2000:]}"
                )
    return outputs
