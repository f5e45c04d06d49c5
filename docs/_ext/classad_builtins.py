"""Sphinx extension: the built-in function reference (see :mod:`builtin_reference`).

``.. classad-builtins::`` (in a reST page) expands, at build time, to the whole reference made
from the registry and ``docs/builtin_examples.toml``.  Each function is a ``classad-function``
object (role ``:classad-func:``) with an index entry.
"""

from __future__ import annotations

import re
from typing import Any

from builtin_reference import EXAMPLES_FILE, load_entries, render
from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*")


class BuiltinsDirective(SphinxDirective):
    """``.. classad-builtins::``: the whole generated reference, in place (use it in a reST page)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(EXAMPLES_FILE))
        try:
            entries = load_entries()
        except ValueError as exc:
            raise self.error(str(exc)) from None
        container = nodes.section()
        container.document = self.state.document
        nested_parse_with_titles(
            self.state, StringList(render(entries), source="<classad-builtins>"), container
        )
        return list(container.children)


def _parse_function(env: BuildEnvironment, sig: str, signode: addnodes.desc_signature) -> str:
    signode += addnodes.desc_name(sig, sig)
    m = _NAME.match(sig.strip())
    return m.group(0) if m else sig


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``classad-function`` object type and the ``classad-builtins`` directive."""
    app.add_object_type(
        "classad-function",
        "classad-func",
        indextemplate="pair: %s; ClassAd function",
        parse_node=_parse_function,
    )
    app.add_directive("classad-builtins", BuiltinsDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
