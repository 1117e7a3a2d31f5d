#!/usr/bin/env bash
# make_font.sh — regenerate wqy-microhei.ttf, the CJK font bundled into PlanAlign.
#
# What it does:
#   1. installs the Debian package fonts-wqy-microhei (WenQuanYi Micro Hei 0.2.0-beta,
#      file /usr/share/fonts/truetype/wqy/wqy-microhei.ttc) with apt;
#   2. installs fontTools (pinned) with pip into a throw-away virtualenv
#      (Debian 12's system Python is "externally managed", so a bare `pip install` is refused);
#   3. extracts face 0 ("WenQuanYi Micro Hei", the proportional face; face 1 is the Mono one)
#      of the .ttc into a standalone TrueType file, wqy-microhei.ttf, next to this script,
#      and copies the package's licence text to LICENSE-wqy-microhei.txt;
#   4. checks the cmap covers what the UI needs (all GB2312 hanzi, a few rare name
#      characters, full-width punctuation, ASCII, circled numbers).
#
# Why: egui's built-in fonts have no CJK glyphs, so the app embeds one CJK font with
# include_bytes!. egui loads .ttf/.otf data, not font collections, hence the extraction
# of a single face. WenQuanYi Micro Hei was chosen over a GBK subset of Noto Sans CJK SC
# because it is smaller (≈5 MB vs ≈11 MB), needs no subsetting, and already covers all
# GBK hanzi. Licence: Apache-2.0 (or GPL-3+ with font exception); see LICENSE-wqy-microhei.txt.
#
# Run as root on Debian 12 (bookworm):  bash assets/fonts/make_font.sh
# The extraction keeps the original head.modified timestamp, so the output is byte-identical
# across runs given the same package version (0.2.0-beta-3.1) and fontTools version.
set -euo pipefail

FONTTOOLS_VERSION=4.68.0
SRC=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
OUT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$OUT_DIR/wqy-microhei.ttf"

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends fonts-wqy-microhei python3 python3-venv
echo "fonts-wqy-microhei version: $(dpkg-query -W -f='${Version}' fonts-wqy-microhei)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "fonttools==$FONTTOOLS_VERSION"

"$WORK/venv/bin/python" - "$SRC" "$OUT" <<'PY'
import sys
from fontTools.ttLib import TTFont

src, out = sys.argv[1], sys.argv[2]
# Face 0 of the collection. No table is touched before saving, so fontTools copies every
# table's bytes unchanged (only head.checkSumAdjustment is recomputed for the new file);
# recalcTimestamp=False keeps head.modified, so the build is reproducible.
TTFont(src, fontNumber=0, recalcTimestamp=False).save(out)

# --- checks on the written file ---
font = TTFont(out)
name = font["name"].getDebugName(4)
if name != "WenQuanYi Micro Hei":
    sys.exit(f"unexpected face 0 name: {name!r}")
cmap = font.getBestCmap()
missing = {}

def need(label, chars):
    miss = [c for c in chars if ord(c) not in cmap]
    if miss:
        missing[label] = miss
    print(f"  {label}: {len(chars) - len(miss)}/{len(chars)}")

def gb2312_hanzi(rows):
    chars = []
    for row in rows:
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # unassigned code points (end of row 0xD7)
    return chars

print(f"{out}: {font['maxp'].numGlyphs} glyphs, {len(cmap)} cmap entries")
need("GB2312 level-1 hanzi", gb2312_hanzi(range(0xB0, 0xD8)))
need("GB2312 level-2 hanzi", gb2312_hanzi(range(0xD8, 0xF8)))
need("rare name hanzi", list("堃喆珺昇赟祎"))
need("full-width punctuation", list("（）【】〔〕《》、。，：；！？“”‘’…—·"))
need("ASCII printable", [chr(c) for c in range(0x20, 0x7F)])
need("circled numbers", list("①②③㈠"))
if missing:
    sys.exit(f"missing glyphs: {missing}")
PY

cp /usr/share/doc/fonts-wqy-microhei/copyright "$OUT_DIR/LICENSE-wqy-microhei.txt"
{
    printf '\n\n'
    printf '%s\n' '=============================================================================='
    printf '%s\n' 'Full text of the Apache License, Version 2.0 (referred to above; copied from'
    printf '%s\n' "Debian's /usr/share/common-licenses/Apache-2.0). PlanAlign redistributes the"
    printf '%s\n' 'font under this licence.'
    printf '%s\n\n' '=============================================================================='
    cat /usr/share/common-licenses/Apache-2.0
} >> "$OUT_DIR/LICENSE-wqy-microhei.txt"

ls -l "$OUT" "$OUT_DIR/LICENSE-wqy-microhei.txt"
sha256sum "$OUT"
