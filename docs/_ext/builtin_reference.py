"""The reference of every built-in ClassAd function, made from the registry (no Sphinx needed).

:func:`render` gives the reST of one entry per function registered in
:data:`classad.eval.functions.REGISTRY`, grouped by the module that implements it: the signature,
the number of arguments the registry accepts, the implementation's docstring (or the ``summary``
of ``docs/builtin_examples.toml`` where the implementation has none) and the examples of that
file, which ``tests/docs/test_builtin_examples.py`` checks against HTCondor's ``classad2``.
``classad_builtins.py`` (the Sphinx extension) puts it on the page at build time, so the page
cannot drift from the code: a new built-in appears on it at the next build, and
:func:`load_entries` refuses to build when a built-in has no example or no description.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

try:
    import tomllib
except ImportError:  # Python 3.10: pytest's own dependency
    import tomli as tomllib  # type: ignore[no-redef]

EXAMPLES_FILE = Path(__file__).resolve().parents[1] / "builtin_examples.toml"
"""Function name -> summary and examples (see the file's header)."""

GROUPS: dict[str, str] = {
    "types": "Type predicates",
    "convert": "Conversions",
    "math": "Numbers",
    "strings": "Strings",
    "regex": "Regular expressions",
    "lists": "Lists",
    "time": "Time",
    "misc": "Control and introspection",
    "compat": "HTCondor's string lists, users and environments",
}
"""Section titles, in page order, by implementing module (a module not named here comes last)."""

_INTERNAL_POINTER_PARTS = tuple(
    re.compile(p)
    for p in (
        r"^reference\s+[\d.]+",  # the section of the project's language reference
        r'^\s*"[^"]*"',  # ... and its title
        r"^[,;]?\s*miscellaneous",
        r"^(?:[,;]?\s*(?:quirks\s+in\s+)?section\s+\d+,?\s+items?\s+[\d-]+(?:\s+and\s+\d+)?)+",
        r"^[,;]\s*",
    )
)
"""What :func:`strip_internal_references` removes from the start of a "(reference ...)" note."""
_LONE_NOTE = re.compile(r"^\(([^()\n]*(?:\([^()]*\))?[^()\n]*)\)\.?(?=\n\n|$)")
_SIGNATURES = re.compile(r"^((?:``[^`]+``(?:,\s*)?)+)\s*")


@dataclasses.dataclass(frozen=True)
class Example:
    """One checked example: ``expr`` evaluates to ``value`` (as HTCondor prints a literal)."""

    expr: str
    value: str
    modes: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Entry:
    """One built-in as the page shows it."""

    name: str
    group: str
    signatures: tuple[str, ...]
    description: str
    arity: str
    strict: bool
    examples: tuple[Example, ...]


def strip_internal_references(text: str) -> str:
    """``text`` without the project's internal "(reference 5.1, section 10 item 12)" pointers.

    Whatever else the parenthesis says stays: "(reference 5.1; a literal is folded)" becomes
    "(a literal is folded)"."""
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("(reference ", pos)
        if start < 0:
            out.append(text[pos:])
            return "".join(out)
        depth = 0
        end = start
        for end in range(start, len(text)):
            if text[end] == "(":
                depth += 1
            elif text[end] == ")":
                depth -= 1
                if depth == 0:
                    break
        inner = text[start + 1 : end]
        for pattern in _INTERNAL_POINTER_PARTS:
            inner = pattern.sub("", inner)
        head = text[pos:start]
        if inner.strip():
            out.append(head + "(" + inner + ")")
        else:
            out.append(head.rstrip(" "))
        pos = end + 1


def _implementing_module(fn: Any) -> str:
    """The short name of the ``classad.eval.builtins`` module that defines ``fn``.

    Registry wrappers (strictness, failing arguments) copy ``__name__`` and ``__doc__`` but not
    ``__module__``, so the module is found by looking the name up in each built-in module."""
    import classad.eval.builtins as package

    prefix = package.__name__ + "."
    module = getattr(fn, "__module__", "") or ""
    if module.startswith(prefix):
        return module[len(prefix) :].split(".")[0]
    for info in pkgutil.iter_modules(package.__path__):
        mod = importlib.import_module(prefix + info.name)
        candidate = getattr(mod, fn.__name__, None)
        if candidate is not None and getattr(candidate, "__doc__", None) == fn.__doc__:
            return info.name
    return module.rsplit(".", 1)[-1]


def _arity(min_args: int, max_args: int) -> str:
    from classad.eval.functions import VARIADIC

    if max_args >= VARIADIC:
        return f"{min_args} or more arguments"
    if min_args == max_args:
        return "no arguments" if min_args == 0 else f"{min_args} argument{'s' if min_args > 1 else ''}"
    return f"{min_args} to {max_args} arguments"


def _derived_signature(name: str, min_args: int, max_args: int) -> str:
    """A signature from the registry's argument counts alone: ``f(arg1[, arg2])``."""
    from classad.eval.functions import VARIADIC

    text = ", ".join(f"arg{i + 1}" for i in range(min_args))
    if max_args >= VARIADIC:
        text += (", " if text else "") + "..."
    else:
        for i in range(min_args, max_args):
            text += ("[, " if text else "[") + f"arg{i + 1}"
        text += "]" * (max_args - min_args)
    return f"{name}({text})"


def is_builtin(fn: Any) -> bool:
    """Whether the registry entry ``fn`` is a built-in (not a function given to ``classad.register``)."""
    return str(getattr(fn.impl, "__module__", "")).startswith("classad.eval.")


def load_examples(path: Path = EXAMPLES_FILE) -> dict[str, dict[str, Any]]:
    """The examples file, keyed by lower-cased function name."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {name.lower(): value for name, value in data.items()}


def load_entries(path: Path = EXAMPLES_FILE) -> list[Entry]:
    """Every registered built-in with its description and examples, in page order.

    Raises ``ValueError`` naming the functions that have no example or no description, and the
    example entries that name no registered function."""
    import classad  # noqa: F401  (the package, as a reader of the reference has it)
    from classad.eval.functions import REGISTRY, ensure_builtins

    ensure_builtins()  # the library's functions register on first need

    examples = load_examples(path)
    problems: list[str] = []
    unknown = sorted(set(examples) - set(REGISTRY))
    if unknown:
        problems.append(f"{path.name} names functions that are not registered: {', '.join(unknown)}")
    entries: list[Entry] = []
    for key, fn in REGISTRY.items():
        if not is_builtin(fn):
            continue
        info = examples.get(key, {})
        raw = info.get("examples", [])
        if not raw:
            problems.append(f"{fn.name}: no example in {path.name}")
        doc = inspect.getdoc(fn.impl) or ""
        signatures: tuple[str, ...] = ()
        m = _SIGNATURES.match(doc)
        if m and all(s.lower().startswith(key + "(") for s in re.findall(r"``([^`]+)``", m.group(1))):
            signatures = tuple(re.findall(r"``([^`]+)``", m.group(1)))
            doc = doc[m.end() :]
        doc = strip_internal_references(doc).strip()
        doc = re.sub(r"^[:.]\s*", "", doc)
        doc = _LONE_NOTE.sub(lambda m: m.group(1) + ".", doc)
        if doc[:1].islower():
            doc = doc[0].upper() + doc[1:]
        if not doc:
            doc = str(info.get("summary", "")).strip()
        if not doc:
            problems.append(f"{fn.name}: no docstring and no summary in {path.name}")
        if not signatures and info.get("signature"):
            signatures = (str(info["signature"]),)
        if not signatures:
            signatures = (_derived_signature(fn.name, fn.min_args, fn.max_args),)
        entries.append(
            Entry(
                name=fn.name,
                group=_implementing_module(fn.impl),
                signatures=signatures,
                description=doc,
                arity=_arity(fn.min_args, fn.max_args),
                strict=fn.strict,
                examples=tuple(
                    Example(str(e["expr"]), str(e["value"]), tuple(e.get("modes", ("htcondor", "strict"))))
                    for e in raw
                ),
            )
        )
    if problems:
        raise ValueError("the built-in function reference is incomplete:\n  " + "\n  ".join(problems))
    order = list(GROUPS)
    entries.sort(
        key=lambda e: (order.index(e.group) if e.group in order else len(order), e.group, e.name.lower())
    )
    return entries


def _group_intro(group: str) -> str:
    """The first paragraph of the implementing module's docstring, without internal pointers."""
    try:
        mod = importlib.import_module("classad.eval.builtins." + group)
    except ImportError:
        return ""
    doc = inspect.getdoc(mod) or ""
    first = doc.split("\n\n", 1)[0]
    return strip_internal_references(first).strip()


def render(entries: list[Entry]) -> list[str]:
    """The reST of the whole reference."""
    lines: list[str] = []
    group = None
    for entry in entries:
        if entry.group != group:
            group = entry.group
            title = GROUPS.get(group, group.replace("_", " ").capitalize())
            lines += [title, "-" * len(title), ""]
            intro = _group_intro(group)
            if intro:
                lines += [*intro.splitlines(), ""]
        first, *more = entry.signatures
        lines.append(f".. classad-function:: {first}")
        for sig in more:
            lines.append(f"                      {sig}")
        lines.append("")
        for line in entry.description.splitlines():
            lines.append(("   " + line).rstrip())
        lines.append("")
        facts = f"Takes {entry.arity}"
        if entry.strict:
            facts += "; strict: an ``error`` argument gives ``error``, then ``undefined`` gives ``undefined``"
        lines += [f"   *{facts}.*", ""]
        width = min(48, max(len(e.expr) for e in entry.examples))
        lines += ["   .. code-block:: text", ""]
        for ex in entry.examples:
            note = "" if set(ex.modes) == {"htcondor", "strict"} else f"    ({', '.join(ex.modes)} mode)"
            lines.append(f"      {ex.expr.ljust(width)}  →  {ex.value}{note}")
        lines.append("")
    return lines
