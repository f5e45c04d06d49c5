"""Loader for the hand-written test vectors in ``tests/vectors/*.txt``.

The format is described in ``tests/vectors/README.md``.  In short: one case per line, ``#`` lines
are comments naming the rule the following lines check, and an optional prefix selects the kind:

====================================  =========================================================
line                                  vector
====================================  =========================================================
``EXPR`` or ``expr: EXPR``            kind ``expr``: parse and evaluate a standalone expression
``ad: AD :: EXPR``                    kind ``ad_eval``: evaluate ``EXPR`` with ``scope=AD``
``target: AD :: TARGET :: EXPR``      kind ``ad_eval`` with ``scope=AD, target=TARGET``
``match: LEFT :: RIGHT``              kind ``match``: ``matches``, reverse and symmetric match
``parsead: AD``                       kind ``ad``: parse, print and evaluate every attribute
``crash: EXPR``                       kind ``crash``: the reference crashes; only check that
                                      our library does not raise anything unexpected
``json: {"kind": ..., ...}``          any kind, fields given as JSON (for newlines, ``::``...);
                                      kind ``oldad`` (old "long" format text) only this way
====================================  =========================================================

No expected values are stored: tests compare our library with the reference live.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

__all__ = ["KINDS", "VECTOR_DIR", "Vector", "load_vectors", "parse_vector_line"]

VECTOR_DIR = Path(__file__).resolve().parent
"""The directory holding the ``*.txt`` vector files."""

KINDS = ("expr", "ad_eval", "match", "ad", "oldad", "crash")
"""Vector kinds; all but ``crash`` are also oracle request kinds."""

SEPARATOR = " :: "
"""Separates the parts of ``ad:``, ``target:`` and ``match:`` lines."""

_PREFIX = re.compile(r"^(expr|ad|target|match|parsead|crash|json):(?:\s+|$)")

_FIELDS: dict[str, tuple[str, ...]] = {
    "expr": ("text",),
    "ad_eval": ("ad", "target", "expr"),
    "match": ("left", "right"),
    "ad": ("text",),
    "oldad": ("text",),
    "crash": ("text",),
}


@dataclasses.dataclass(frozen=True)
class Vector:
    """One test vector.

    :ivar file: file name, e.g. ``arithmetic.txt``
    :ivar line: 1-based line number in that file
    :ivar kind: one of :data:`KINDS`
    :ivar fields: the kind's fields (``text``; ``ad``/``target``/``expr``; ``left``/``right``);
        ``target`` may be ``None``
    :ivar group: the last ``#`` comment above the line (the rule being checked)
    :ivar id: a readable pytest id: ``file-stem:line:short text``
    """

    file: str
    line: int
    kind: str
    fields: dict[str, str | None]
    group: str
    id: str

    def request(self) -> dict[str, object]:
        """The oracle request for this vector (a ``crash`` vector is sent as ``expr``)."""
        kind = "expr" if self.kind == "crash" else self.kind
        req: dict[str, object] = {"kind": kind}
        req.update(self.fields)
        return req

    @property
    def text(self) -> str:
        """A one-line human-readable rendering of the case."""
        parts = [v for v in self.fields.values() if v is not None]
        return SEPARATOR.join(parts)


def _short(text: str, limit: int = 48) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def parse_vector_line(line: str) -> tuple[str, dict[str, str | None]] | None:
    """Parse one line into ``(kind, fields)``; ``None`` for blank and comment lines.

    :raises ValueError: for a malformed line.
    """
    body = line.rstrip("\r\n").strip()
    if not body or body.startswith("#"):
        return None
    m = _PREFIX.match(body)
    if m is None:
        return "expr", {"text": body}
    prefix, rest = m.group(1), body[m.end() :].strip()
    if not rest:
        raise ValueError(f"empty {prefix}: line")
    if prefix == "expr":
        return "expr", {"text": rest}
    if prefix == "crash":
        return "crash", {"text": rest}
    if prefix == "parsead":
        return "ad", {"text": rest}
    if prefix == "json":
        obj = json.loads(rest)
        if not isinstance(obj, dict) or obj.get("kind") not in _FIELDS:
            raise ValueError("json: line needs an object with a known 'kind'")
        kind = str(obj["kind"])
        fields: dict[str, str | None] = {}
        for name in _FIELDS[kind]:
            value = obj.get(name)
            if value is None and not (kind == "ad_eval" and name == "target"):
                raise ValueError(f"json: {kind} vector needs field {name!r}")
            fields[name] = None if value is None else str(value)
        extra = set(obj) - set(_FIELDS[kind]) - {"kind"}
        if extra:
            raise ValueError(f"json: unknown fields {sorted(extra)}")
        return kind, fields
    parts = [p.strip() for p in rest.split(SEPARATOR)]
    if prefix == "ad":
        if len(parts) != 2:
            raise ValueError("ad: line needs 'AD :: EXPR'")
        return "ad_eval", {"ad": parts[0], "target": None, "expr": parts[1]}
    if prefix == "target":
        if len(parts) != 3:
            raise ValueError("target: line needs 'AD :: TARGET :: EXPR'")
        return "ad_eval", {"ad": parts[0], "target": parts[1], "expr": parts[2]}
    if len(parts) != 2:  # match
        raise ValueError("match: line needs 'LEFT :: RIGHT'")
    return "match", {"left": parts[0], "right": parts[1]}


def load_file(path: Path) -> list[Vector]:
    """Load the vectors of one file."""
    vectors: list[Vector] = []
    group = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#"):
            group = stripped.lstrip("#").strip()
            continue
        try:
            parsed = parse_vector_line(raw)
        except ValueError as exc:
            raise ValueError(f"{path.name}:{number}: {exc}") from exc
        if parsed is None:
            continue
        kind, fields = parsed
        shown = SEPARATOR.join(v for v in fields.values() if v is not None)
        vid = f"{path.stem}:{number}:{_short(shown)}"
        vectors.append(Vector(path.name, number, kind, fields, group, vid))
    return vectors


def load_vectors(directory: Path | None = None) -> list[Vector]:
    """Load every ``*.txt`` vector file of ``directory`` (default: this directory), sorted by name."""
    root = directory if directory is not None else VECTOR_DIR
    vectors: list[Vector] = []
    for path in sorted(root.glob("*.txt")):
        vectors.extend(load_file(path))
    return vectors
