"""Sphinx extension: API reference sections for whichever tool subpackages exist at build time.

``.. classad-tool-packages::`` writes one section per public subpackage of :mod:`classad` (a
folder with an ``__init__.py`` whose name does not start with ``_``) other than the internal
layers in :data:`INTERNAL` and the packages the API page documents on its own
(:data:`DOCUMENTED_ELSEWHERE`): its docstring and its public members through ``automodule``.  A
package's public submodules (no leading ``_``) get their own ``automodule`` when
:data:`WITH_SUBMODULES` names the package (the CLI, one module per subcommand).  So a tool added
later appears at the next build, and a tool not written yet is simply not listed.

:func:`missing_optional_imports` tells ``conf.py`` which optional third-party packages (extras
such as ``pyarrow``) are not installed, so autodoc can mock them instead of failing.

The ``classad_docstrings_left_out`` setting (a dict, object name -> reason) replaces the docstrings
of exactly those objects with a note: the narrow way to keep ``-W`` builds green while a docstring
with broken reST waits for its fix (every entry should be temporary).
"""

from __future__ import annotations

import importlib.util
import pkgutil
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "classad"
"""The library's source folder (the tree this documentation is built from)."""

INTERNAL = frozenset({"eval", "grammar", "testing"})
"""Layers below the public API: documented through ``classad`` itself and the built-ins page."""

DOCUMENTED_ELSEWHERE = frozenset({"formats"})
"""Subpackages the API page documents by hand, before the tools."""

WITH_SUBMODULES = frozenset({"cli"})
"""Tool packages whose public submodules are documented one by one."""

OPTIONAL_IMPORTS = ("pyarrow", "pandas", "dask", "hypothesis")
"""Third-party packages the tool subpackages import from extras."""


def tool_packages(root: Path = PACKAGE_DIR) -> list[str]:
    """The dotted names of the tool subpackages present under ``root``, sorted."""
    names = []
    for child in sorted(root.iterdir()):
        if not child.is_dir() or child.name.startswith(("_", ".")) or not (child / "__init__.py").is_file():
            continue
        if child.name in INTERNAL or child.name in DOCUMENTED_ELSEWHERE:
            continue
        names.append(f"classad.{child.name}")
    return names


def public_submodules(package: str, root: Path = PACKAGE_DIR) -> list[str]:
    """The public (no leading underscore) modules directly inside ``package``."""
    folder = root / package.split(".", 1)[1]
    return sorted(
        f"{package}.{info.name}"
        for info in pkgutil.iter_modules([str(folder)])
        if not info.name.startswith("_") and not info.ispkg
    )


def missing_optional_imports() -> list[str]:
    """The packages of :data:`OPTIONAL_IMPORTS` this interpreter cannot import (to be mocked)."""
    return [name for name in OPTIONAL_IMPORTS if importlib.util.find_spec(name) is None]


def render(packages: list[str]) -> list[str]:
    """The reST of one section per tool package."""
    lines: list[str] = []
    for package in packages:
        title = f"``{package}``"
        lines += [title, "-" * len(title), "", f".. automodule:: {package}", "   :members:", ""]
        if package.rsplit(".", 1)[1] in WITH_SUBMODULES:
            for module in public_submodules(package):
                sub = f"``{module}``"
                lines += [sub, "~" * len(sub), "", f".. automodule:: {module}", "   :members:", ""]
    return lines


class ToolPackagesDirective(SphinxDirective):
    """``.. classad-tool-packages::``: the sections of :func:`tool_packages`, in place."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        packages = tool_packages()
        for package in packages:
            self.env.note_dependency(str(PACKAGE_DIR / package.split(".", 1)[1] / "__init__.py"))
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(
            self.state, StringList(render(packages), source="<classad-tools>"), container
        )
        return list(container.children)


def _leave_out_docstring(
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """``autodoc-process-docstring``: blank the docstrings named in ``classad_docstrings_left_out``."""
    reason = app.config.classad_docstrings_left_out.get(name)
    if reason is not None:
        lines[:] = [f"*(The docstring of* ``{name}`` *is left out of this build: {reason}.)*"]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``classad-tool-packages`` directive and the docstring filter."""
    app.add_directive("classad-tool-packages", ToolPackagesDirective)
    app.add_config_value("classad_docstrings_left_out", {}, "env", dict)
    app.connect("autodoc-process-docstring", _leave_out_docstring)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
