"""The batch's zip, streamed beside its target and renamed into place."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from docgen.fileio import temp_beside


def _write_zip(outdir: Path, names: list[str], archive: Path) -> None:
    """Stream the files into a temporary zip beside the target, then rename it into place."""
    fd, tmp = temp_beside(archive)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for name in names:
                # PDF and .docx are compressed already; deflating them again only costs time.
                method = (
                    zipfile.ZIP_DEFLATED if name.endswith((".csv", ".xlsx")) else zipfile.ZIP_STORED
                )
                zf.write(outdir / name, arcname=name, compress_type=method)
        os.replace(tmp, archive)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
