"""A private fonts.conf so LibreOffice renders our .docx with the resolved fonts.

The .docx names the Windows fonts (仿宋_GB2312, 方正小标宋简体 …). Run soffice
with ``FONTCONFIG_FILE=<the file written here>`` and fontconfig replaces each
official name with the family the PDF renderer resolved for that role, followed
by the role's fallback chain, so LibreOffice draws rare characters (镕, 喆) from
the same fallback fonts as the PDF does. Nothing on the system is changed.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from docgen.fonts.resolve import FontSet
from docgen.spec import OFFICIAL_FONT_NAMES, FontRole

# Metric-compatible aliases (Times New Roman → Liberation Serif …) for the
# Latin text of a .docx; harmless where the file does not exist.
_SYSTEM_INCLUDES = ("/etc/fonts/conf.d/30-metric-aliases.conf",)
_SYSTEM_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")


def _string(value: str) -> str:
    return f"<string>{escape(value)}</string>"


def write_fonts_conf(fs: FontSet, workdir: Path) -> Path:
    """Write ``workdir/fonts.conf`` (cache in ``workdir/fontconfig-cache``); return its path."""
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    cache = workdir / "fontconfig-cache"
    cache.mkdir(exist_ok=True)

    ours = fs.all_fonts()
    font_dirs = list(dict.fromkeys(str(f.path.resolve().parent) for f in ours))

    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<!-- Written by docgen.fonts.fontconfig.write_fonts_conf; use with FONTCONFIG_FILE. -->",
        "<fontconfig>",
    ]
    lines += [f"  <dir>{escape(d)}</dir>" for d in _SYSTEM_DIRS if Path(d).is_dir()]
    lines += [f"  <dir>{escape(d)}</dir>" for d in font_dirs if d not in _SYSTEM_DIRS]
    lines.append(f"  <cachedir>{escape(str(cache))}</cachedir>")
    lines += [f'  <include ignore_missing="yes">{escape(p)}</include>' for p in _SYSTEM_INCLUDES]

    # Pin each of our families to exactly our file. Otherwise a same-named
    # family elsewhere wins: FandolSong Bold declares weight 400, so "宋体"
    # matched the Bold file in the notes' test (section 6); likewise a system
    # copy of a font with a different version would change metrics.
    families = list(dict.fromkeys(f.family for f in ours))
    lines.append("  <selectfont>")
    lines.append("    <acceptfont>")
    # By pattern on "file", not <glob>: fontconfig checks file globs and
    # patterns separately, so only an accepting pattern outranks the
    # rejecting family pattern below.
    lines += [
        f'      <pattern><patelt name="file">{_string(str(f.path.resolve()))}</patelt></pattern>'
        for f in ours
    ]
    lines.append("    </acceptfont>")
    lines.append("    <rejectfont>")
    for fam in families:
        lines.append(f'      <pattern><patelt name="family">{_string(fam)}</patelt></pattern>')
    lines.append("    </rejectfont>")
    lines.append("  </selectfont>")

    for role in FontRole:
        chain = fs.chain(role)
        if not chain:
            continue
        targets = list(dict.fromkeys(f.family for f in chain))
        values = "".join(_string(t) for t in targets)
        for name in OFFICIAL_FONT_NAMES[role]:
            # <match> with assign replaces the requested family in place, so a
            # font the .docx names is never matched by "closest" heuristics;
            # the rest of the chain follows as fontconfig's fallbacks.
            lines += [
                f"  <!-- {role.value}: {escape(name)} → {escape(' → '.join(targets))} -->",
                '  <match target="pattern">',
                f'    <test qual="any" name="family">{_string(name)}</test>',
                f'    <edit name="family" mode="assign" binding="same">{values}</edit>',
                "  </match>",
                '  <alias binding="same">',
                f"    <family>{escape(name)}</family>",
                f"    <prefer>{''.join(f'<family>{escape(t)}</family>' for t in targets)}</prefer>",
                "  </alias>",
            ]
    lines.append("</fontconfig>")
    out = workdir / "fonts.conf"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
