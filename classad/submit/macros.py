"""Submit-language macros: the table of commands and ``$(...)`` expansion as condor_submit does it.

:class:`MacroTable` holds the commands (case-insensitive names, as written, in order), the live
variables of the job being made (``Cluster``/``ClusterId``, ``Process``/``ProcId``, ``Row``/
``ItemIndex``, ``Step``, ``Node`` and the queue's item variables) and the defaults condor_submit
provides (``ARCH``, ``OPSYS``, ``IsLinux``, ``SUBMIT_FILE``, ``JobId``...).

:meth:`MacroTable.expand` rewrites a value as condor_submit does: the leftmost macro is
replaced and the result scanned again from the start, until none is left; ``$$(...)`` is kept
for match time and ``$(DOLLAR)`` becomes ``$`` at the end.  A name nobody defined expands to
the empty string (or to its ``:default``), as in condor_submit.  Supported functions:
``$ENV(name[:default])``, ``$F[pdnxbqa...](name)``, ``$DIRNAME()``, ``$BASENAME()``,
``$INT(name[,fmt])``, ``$REAL(name[,fmt])``, ``$STRING(name[,fmt])``, ``$EVAL(expr)``,
``$SUBSTR(name,start[,len])``, ``$CHOICE(index,list...)``, ``$RANDOM_CHOICE(list...)`` and
``$RANDOM_INTEGER(min,max[,step])``.  Expansion has a budget (count and size), so
self-referencing macros end in a :class:`SubmitError`, never a hang.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Mapping

from classad.submit.errors import SubmitError, Where
from classad.submit.values import eval_expr_text, format_printf, string_to_float, string_to_int

__all__ = ["MacroTable"]

MAX_EXPANSIONS = 20_000
MAX_EXPANDED_CHARS = 1_000_000

_NAME_CHARS = re.compile(r"[A-Za-z0-9_./]*")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_IDCHARS = _ALNUM | frozenset("_./")
_FUNCTIONS = frozenset(
    {"ENV", "RANDOM_CHOICE", "RANDOM_INTEGER", "CHOICE", "SUBSTR", "INT", "REAL", "STRING", "EVAL"}
    | {"BASENAME", "DIRNAME"}
)


def _special(name: str) -> str | None:
    """The function a ``$NAME(`` prefix names (case-sensitive, as condor's), or ``None``."""
    if name.startswith("F") and all(c in "pnxdqabfwu" for c in name[1:].lower()):
        return "F"
    return name if name in _FUNCTIONS else None


def _unquote(value: str) -> str:
    if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _plus_dirs(path: str, num_dirs: int) -> int:
    """Start index of the base name plus ``num_dirs`` directories (condor_basename_plus_dirs)."""
    seps = [i + 1 for i, c in enumerate(path) if c in "/\\"]
    for _ in range(num_dirs):
        if seps:
            seps.pop()
    return seps[-1] if seps else 0


def _file_parts(flags: str, value: str, kill_suffix: str | None = None, cwd: str = "") -> str:
    """``$F<flags>(value)``: the parts of a path the flags ask for, as condor computes them."""
    low = flags.lower()
    parts = (1 if "x" in low else 0) | (2 if "n" in low else 0) | (4 if "p" in low else 0)
    dirs = low.count("d")
    if dirs:
        parts |= 8
    bare = "b" in low
    quote = ("'" if "a" in low else '"') if "q" in low else ""
    to_sep = "/" if "u" in low else ("\\" if "w" in low else "")
    buf = _unquote(value)
    if "f" in low and buf and not buf.startswith("/") and cwd:
        if len(buf) > 2 and buf.startswith("./"):
            buf = buf[2:]
        buf = cwd.rstrip("/") + "/" + buf
    if to_sep:
        buf = buf.replace("\\" if to_sep == "/" else "/", to_sep)
    end = len(buf)
    ixn = max(buf.rfind("/"), buf.rfind("\\")) + 1
    dot = buf.rfind(".", ixn)
    ixx = dot if dot >= 0 else end
    cut = end - len(kill_suffix or "")
    if kill_suffix and cut >= ixn and buf[cut:].lower() == kill_suffix.lower():
        ixx = cut
        parts &= ~1
    if not ixn and parts & 3:
        parts &= ~(4 | 8)
    start = 0
    kind = parts & 0xF
    if kind == 1:
        start = ixx + (1 if bare and ixx < end else 0)
    elif kind == 3:
        start = ixn
    elif kind == 2:
        start, end = ixn, ixx
    elif kind in (0, 7, 5):
        pass
    elif kind == 4:
        end = ixn - 1 if bare and ixn > 0 else ixn
    elif kind == 6:
        end = ixx
    elif ixn > 0:
        start = _plus_dirs(buf, dirs)
        if parts & 3 == 2:
            end = ixx
        elif parts & 3 == 0:
            end = ixn - 1 if bare and ixn > 0 else ixn
    else:
        start, end = 1, 1
    out = buf[start:end] if start <= end else ""
    return quote + out + quote if quote else out


class MacroTable:
    """Commands, live variables and defaults, and expansion of ``$(...)`` over them."""

    def __init__(self, defaults: Mapping[str, str], environ: Mapping[str, str]) -> None:
        self._commands: dict[str, tuple[str, str]] = {}
        self._where: dict[str, Where] = {}
        self._defaults = {k.lower(): v for k, v in defaults.items()}
        self._live: dict[str, str] = {}
        self._environ = environ
        self._random = random.Random()
        self.cwd = ""
        """The directory ``$Ff()`` makes paths absolute against (the job's ``Iwd`` once known)."""

    # --- the command table ----------------------------------------------------------------

    def set(self, name: str, value: str, where: Where | None = None) -> None:
        """Define ``name`` (a self reference ``$(name)`` takes the previous value now)."""
        key = name.lower()
        if "$" in value:
            old = self._commands.get(key, (name, ""))[1]
            pattern = re.compile(r"\$\(" + re.escape(name) + r"(?::([^()]*))?\)", re.I)
            value = pattern.sub(lambda m: old if old or m.group(1) is None else m.group(1), value)
        spelled = self._commands[key][0] if key in self._commands else name
        self._commands[key] = (spelled, value)
        if where is not None:
            self._where[key] = where

    def delete(self, name: str) -> None:
        self._commands.pop(name.lower(), None)
        self._where.pop(name.lower(), None)

    def raw(self, name: str) -> str | None:
        """The command's value as written (unexpanded), or ``None``."""
        got = self._commands.get(name.lower())
        return None if got is None else got[1]

    def where(self, name: str) -> Where | None:
        return self._where.get(name.lower())

    def items(self) -> Iterator[tuple[str, str]]:
        """(name as written, raw value) for every command, in order."""
        return iter(self._commands.values())

    def names(self) -> list[str]:
        return [n for n, _ in self._commands.values()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._commands

    def copy(self) -> MacroTable:
        other = MacroTable({}, self._environ)
        other._commands = dict(self._commands)
        other._where = dict(self._where)
        other._defaults = dict(self._defaults)
        other._live = dict(self._live)
        other.cwd = self.cwd
        return other

    def set_live(self, values: Mapping[str, str]) -> None:
        """Replace the live variables (those of the job being made)."""
        self._live = {k.lower(): v for k, v in values.items()}

    def set_live_value(self, name: str, value: str) -> None:
        """Set one live variable (``Node`` of a parallel job)."""
        self._live[name.lower()] = value

    def set_default(self, name: str, value: str) -> None:
        self._defaults[name.lower()] = value

    def lookup(self, name: str) -> str | None:
        """The unexpanded value of ``name``: live variables, then commands, then defaults."""
        key = name.lower()
        if key in self._live:
            return self._live[key]
        got = self._commands.get(key)
        if got is not None:
            return got[1]
        return self._defaults.get(key)

    def is_defined(self, name: str) -> bool:
        value = self.lookup(name)
        return value is not None and value != ""

    # --- expansion ------------------------------------------------------------------------

    def param(self, name: str, alt: str | None = None) -> str | None:
        """The expanded value of command ``name`` (or ``alt``), ``None`` when neither is set
        or the value expands to nothing (condor_submit's ``submit_param``)."""
        for key in (name, alt):
            if key is None:
                continue
            got = self._commands.get(key.lower())
            if got is None:
                continue
            value = self.expand(got[1], self._where.get(key.lower()))
            return value if value else None
        return None

    def expand(self, text: str, where: Where | None = None) -> str:
        """``text`` with every macro expanded (see the module docstring)."""
        budget = MAX_EXPANSIONS
        original = text
        resume = 0
        while "$" in text:
            try:
                found = self._find(text, resume)
            except SubmitError as err:
                if err.line or where is None:
                    raise
                raise SubmitError(err.reason, where, original) from None
            if found is None:
                break
            start, end, replacement = found
            text = text[:start] + replacement + text[end:]
            # nothing before ``start`` expands, except a macro still open there (a "$" after the
            # last ")") or a "$NAME" run that now ends in a "(": rescan from the earliest of them
            opener = text.find("$", text.rfind(")", 0, start) + 1, start)
            resume = opener if opener >= 0 else start
            while resume > 0 and (text[resume - 1] in _ALNUM or text[resume - 1] in "_$"):
                resume -= 1
            budget -= 1
            if budget <= 0 or len(text) > MAX_EXPANDED_CHARS:
                raise SubmitError(
                    "macro expansion does not end (a macro refers to itself?)", where, text[:200]
                )
        if "$(DOLLAR)" in text.upper():
            text = re.sub(r"\$\(DOLLAR\)", "$", text, flags=re.I)
        return text

    def _find(self, text: str, pos: int = 0) -> tuple[int, int, str] | None:
        """The leftmost expandable macro: (start, end, replacement), or ``None``.

        As condor's scanner: ``$`` (or ``$$``) then letters, digits and ``_``, then ``(``;
        ``$$(...)`` is left alone (but macros inside it are expanded); ``$(NAME:default)``
        allows only name characters, then after the colon those and ``$ ,\\:`` (and a
        parenthesised group); functions (``$ENV``, ``$INT``, ``$Fnx``...) take anything up to
        the first ``)``; any other text is not a macro and stays as written.  Scanning starts
        at ``pos``."""
        n = len(text)
        while True:
            i = text.find("$", pos)
            if i < 0:
                return None
            p = i + 1
            if p < n and text[p] == "$":
                p += 1
            q = p
            while q < n and (text[q] in _ALNUM or text[q] == "_"):
                q += 1
            if q >= n or text[q] != "(":
                pos = q if q > i + 1 else i + 1
                continue
            prefix = text[i:q]
            if prefix.startswith("$$"):
                pos = q
                continue
            if prefix == "$":
                end = self._name_body_end(text, q + 1)
                if end < 0:
                    pos = q + 1
                    continue
                body = text[q + 1 : end]
                if body.upper() == "DOLLAR":
                    pos = end + 1
                    continue
                name, colon, default = body.partition(":")
                value = self.lookup(name) if name else None
                if value is None or value == "":
                    value = default if colon else ""
                return i, end + 1, value
            func = _special(prefix[1:])
            if func is None:
                pos = q
                continue
            if func == "ENV":
                end = self._name_body_end(text, q + 1)
            else:
                end = text.find(")", q + 1)
            if end < 0:
                pos = q + 1
                continue
            return i, end + 1, self._function(func if func != "F" else prefix[1:], text[q + 1 : end])

    @staticmethod
    def _name_body_end(text: str, start: int) -> int:
        """Index of the ``)`` ending a ``NAME[:default]`` body starting at ``start``, or -1."""
        i = start
        n = len(text)
        after_colon = False
        while i < n:
            c = text[i]
            if c == ")":
                return i
            i += 1
            if c == ":" and not after_colon:
                after_colon = True
                continue
            if after_colon:
                if c == "(":
                    close = text.find(")", i)
                    if close >= 0:
                        i = close + 1
                        continue
                elif c in "$ ,\\:":
                    continue
            if c not in _IDCHARS:
                return -1
        return -1

    def _value_or_text(self, name: str) -> str:
        """A macro's expanded value when ``name`` names one, else ``name`` itself expanded."""
        value = self.lookup(name.strip()) if _NAME_CHARS.fullmatch(name.strip()) else None
        if value is None:
            value = name
        return self.expand(value) if "$" in value else value

    def _function(self, func: str, body: str) -> str:
        upper = func.upper()
        if upper == "ENV":
            name, _, default = body.partition(":")
            got = self._environ.get(name.strip())
            return got if got is not None else default
        if upper in ("DIRNAME", "BASENAME") or (upper.startswith("F") and upper not in ("",)):
            kill: str | None = None
            arg = body
            if upper == "BASENAME" and "," in body:
                arg, _, kill = body.rpartition(",")
                kill = kill.strip()
            value = self._value_or_text(arg)
            flags = {"DIRNAME": "p", "BASENAME": "nx"}.get(upper, func[1:])
            return _file_parts(flags, value, kill, self.cwd)
        if upper in ("INT", "REAL"):
            name, _, fmt = body.partition(",")
            value = self._value_or_text(name)
            if upper == "INT":
                number = string_to_int(value)
                if number is None:
                    raise SubmitError(f"$INT() macro: {value} does not evaluate to an integer")
                return format_printf(fmt or "%d", number)
            real = string_to_float(value)
            if real is None:
                raise SubmitError(f"$REAL() macro: {value} does not evaluate to a real")
            out = format_printf(fmt or "%.16G", real)
            if fmt and "." not in out:
                out += ".0"
            return out
        if upper == "STRING":
            name, _, fmt = body.partition(",")
            value = self._value_or_text(name)
            got = eval_expr_text(value)
            if isinstance(got, str):
                value = got
            return format_printf(fmt, value) if fmt else value
        if upper == "EVAL":
            value = self._value_or_text(body)
            got = eval_expr_text(value)
            if got is None:
                return value
            if isinstance(got, str):
                return got
            from classad.submit.values import unparse_value

            return unparse_value(got)
        if upper == "SUBSTR":
            args = [a.strip() for a in body.split(",")]
            value = self._value_or_text(args[0]) if self.lookup(args[0]) is not None else ""
            start = string_to_int(self._value_or_text(args[1])) if len(args) > 1 else 0
            length = string_to_int(self._value_or_text(args[2])) if len(args) > 2 else None
            if start is None:
                raise SubmitError(f"$SUBSTR() macro: {args[1]} is invalid start index")
            n = len(value)
            if start < 0:
                start = max(n + start, 0)
            start = min(start, n)
            rest = n - start
            if length is None:
                length = rest
            if length < 0:
                length = max(rest + length, 0)
            return value[start : start + min(length, rest)]
        if upper == "CHOICE":
            index_text, _, list_text = body.partition(",")
            index = string_to_int(self._value_or_text(index_text.strip()))
            items = self._choice_list(list_text)
            if index is None or not 0 <= index < len(items):
                raise SubmitError(
                    f"$CHOICE() macro: index {index_text.strip()} is out of range for {list_text}"
                )
            return items[index]
        if upper == "RANDOM_CHOICE":
            items = self._choice_list(body)
            return self._random.choice(items) if items else ""
        if upper == "RANDOM_INTEGER":
            parts = [string_to_int(self._value_or_text(p.strip())) for p in body.split(",")]
            if len(parts) < 2 or any(p is None for p in parts):
                raise SubmitError(f"$RANDOM_INTEGER() macro: invalid arguments {body}")
            low, high = parts[0] or 0, parts[1] or 0
            step = (parts[2] or 1) if len(parts) > 2 else 1
            if high < low or step <= 0:
                raise SubmitError(f"$RANDOM_INTEGER() macro: invalid range {body}")
            return str(self._random.randrange(low, high + 1, step))
        return ""

    def _choice_list(self, text: str) -> list[str]:
        text = text.strip()
        if "," not in text and _NAME_CHARS.fullmatch(text) and self.lookup(text) is not None:
            text = self._value_or_text(text)
        return [p.strip() for p in text.split(",")]

    def random_seed(self, seed: int | None) -> None:
        self._random.seed(seed)

    def expander(self) -> Callable[[str, Where], str]:
        return lambda text, where: self.expand(text, where)
