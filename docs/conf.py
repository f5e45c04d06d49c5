"""Sphinx configuration of the documentation site (built by tests/docs/test_build.py).

Build it with ``python -m sphinx -W -b html docs docs/_build/html``.  Pages are MyST Markdown
(``.md``) except the two reference pages, which are reST; the local extensions in ``_ext/``
generate the built-in function reference from the registry (``classad_builtins``, over the
Sphinx-free ``builtin_reference``) and the API sections of the tool subpackages present
(``classad_api``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
for _path in (ROOT, DOCS / "_ext"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from classad_api import missing_optional_imports  # noqa: E402

import classad  # noqa: E402

project = "pure-classad"
author = "The pure-classad developers"
copyright = "The pure-classad developers; Apache-2.0"
release = classad.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "classad_builtins",
    "classad_api",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_preserve_defaults = True
autodoc_mock_imports = missing_optional_imports()
autodoc_default_options = {"show-inheritance": True}

html_theme = "alabaster"
html_title = f"classad {release}"
html_static_path: list[str] = []
html_theme_options = {
    "description": "HTCondor's ClassAd language in pure Python",
    "fixed_sidebar": True,
    "page_width": "1180px",
    "sidebar_width": "250px",
}

# Docstrings whose reST is broken (they would fail the -W build), left out by name until fixed:
# each entry is a known defect to fix in the library, then remove here.
classad_docstrings_left_out: dict[str, str] = {}


def _list_every_howto(app: Any, docname: str, source: list[str]) -> None:
    """``source-read``: a ``howto-*.md`` page that ``index.md`` does not list yet (one written
    beside these) is added after the last listed how-to, so no page is left out of the
    navigation (which ``-W`` would refuse) and none needs a second edit to appear."""
    if docname != "index":
        return
    text = source[0]
    listed = list(re.finditer(r"^howto-[\w-]+$", text, re.MULTILINE))
    names = {m.group() for m in listed}
    extra = [p.stem for p in sorted(DOCS.glob("howto-*.md")) if p.stem not in names]
    if listed and extra:
        end = listed[-1].end()
        source[0] = text[:end] + "".join("\n" + name for name in extra) + text[end:]


def setup(app: Any) -> None:
    """Hooks of this site that are not worth an extension of their own."""
    app.connect("source-read", _list_every_howto)
