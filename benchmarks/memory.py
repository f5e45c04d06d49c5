"""Memory held per attribute: the OSPool sample read ten times over (2,050 ads), ours beside
classad2, each in a child process of its own.

A child reads the decompressed text, notes its resident set size, parses the ads (old format)
and keeps them, notes the size again, and reports the growth divided by the number of
attributes held.  The resident set is what the operating system sees (classad2's C++ heap
included, which ``tracemalloc`` would miss); each figure is the median of three children.
Linux only (``/proc/self/statm``); elsewhere it says so and measures nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

COPIES = 10

_CHILD = r"""
import gzip, json, os, sys
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
lib, path, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = gzip.open(path, "rt", encoding="utf-8").read()
if lib == "ours":
    import classad as m
else:
    import classad2 as m
import gc
gc.collect()
before = rss()
ads = []
for _ in range(copies):
    ads.extend(m.parseAds(text, m.ParserType.Old))
gc.collect()
after = rss()
attrs = sum(len(list(ad.keys())) for ad in ads)
print(json.dumps({"bytes": after - before, "attributes": attrs, "ads": len(ads)}))
"""


def _child(lib: str, path: Path) -> dict[str, Any] | None:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, lib, str(path), str(COPIES)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if proc.returncode != 0:
        return None
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def measure(path: Path, with_reference: bool) -> dict[str, Any]:
    """Bytes per attribute for ours (and classad2), or the reason nothing was measured."""
    if not os.path.exists("/proc/self/statm"):
        return {"skipped": "memory is measured on Linux only (/proc/self/statm)"}
    if not path.is_file():
        return {"skipped": f"memory not measured: {path} not found"}
    out: dict[str, Any] = {"copies": COPIES}
    for lib in ("ours", "classad2") if with_reference else ("ours",):
        runs = [r for r in (_child(lib, path) for _ in range(3)) if r is not None]
        if runs:
            out[lib] = {
                "bytes_per_attribute": statistics.median(r["bytes"] / r["attributes"] for r in runs),
                "attributes": runs[0]["attributes"],
                "ads": runs[0]["ads"],
            }
    return out


def describe(result: dict[str, Any]) -> str:
    """One line for the table's footer."""
    if "skipped" in result:
        return str(result["skipped"])
    ours = result.get("ours")
    theirs = result.get("classad2")
    if ours is None:
        return "memory: our child process failed"
    text = (
        f"memory held, OSPool sample x{result['copies']}"
        f" ({ours['ads']} ads, {ours['attributes']} attributes):"
        f" ours {ours['bytes_per_attribute']:.0f} bytes per attribute"
    )
    if theirs is not None:
        ratio = ours["bytes_per_attribute"] / theirs["bytes_per_attribute"]
        text += f", classad2 {theirs['bytes_per_attribute']:.0f} ({ratio:.2f}x)"
    return text
