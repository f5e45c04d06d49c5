"""The ``arguments`` and ``environment`` syntaxes of condor_submit, old (V1) and new (V2).

``arguments``: a value starting with ``"`` is the new syntax (``""`` is a literal double quote,
single quotes group words, ``''`` inside them is a literal single quote); anything else is the
old syntax (words split at blanks, ``\\"`` a literal double quote, a bare ``"`` an error).  Old
input is written to the job ad's ``Args`` as the words joined by one blank; new input to
``Arguments`` in the V2 "raw" form, where a word with blanks or quotes is quoted with single
quotes exactly as HTCondor writes it.

``environment``: ``"NAME=value NAME2='a b'"`` in the new syntax, ``NAME=value;NAME2=value`` in
the old (``;`` separated, or a leading delimiter character choosing another one).  The result
is kept as an ordered name-to-value table, as HTCondor's ``Env`` class keeps it.
"""

from __future__ import annotations

__all__ = [
    "ArgsError",
    "args_v1_raw",
    "args_v2_raw",
    "join_v2",
    "parse_arguments",
    "parse_environment",
    "split_v2",
]

_BLANKS = " \t\n\r"
_V1_ENV_DELIMS = "!#$%&*+,-/:;<>?@^`|~\x1f"


class ArgsError(ValueError):
    """Malformed arguments or environment (the message is condor_submit's)."""


def is_v2_quoted(text: str) -> bool:
    return text.lstrip().startswith('"')


def v2_quoted_to_raw(text: str) -> str:
    """The inside of a V2 ``"..."`` value, with ``""`` turned into ``"``."""
    s = text.lstrip()
    i = 1
    out: list[str] = []
    terminated = -1
    while i < len(s):
        if s[i] == '"':
            if i + 1 < len(s) and s[i + 1] == '"':
                out.append('"')
                i += 2
                continue
            terminated = i
            i += 1
            break
        out.append(s[i])
        i += 1
    if terminated < 0:
        raise ArgsError("Unterminated double-quote.")
    if s[i:].strip():
        raise ArgsError(
            "Unexpected characters following double-quote.  Did you forget to escape the double-quote by "
            f"repeating it?  Here is the quote and trailing characters: {s[terminated:]}"
        )
    return "".join(out)


def split_v2(raw: str) -> list[str]:
    """Words of a V2 raw string (single quotes group, ``''`` is a literal quote)."""
    words: list[str] = []
    buf: list[str] = []
    have = False
    i = 0
    n = len(raw)
    while i < n:
        c = raw[i]
        if c == "'":
            start = i
            i += 1
            have = True
            while True:
                if i >= n:
                    raise ArgsError(f"Unbalanced quote starting here: {raw[start:]}")
                if raw[i] == "'":
                    if i + 1 < n and raw[i + 1] == "'":
                        buf.append("'")
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(raw[i])
                i += 1
        elif c in _BLANKS:
            i += 1
            if have:
                words.append("".join(buf))
                buf = []
                have = False
        else:
            buf.append(c)
            have = True
            i += 1
    if have:
        words.append("".join(buf))
    return words


def join_v2(words: list[str]) -> str:
    """Words written in the V2 raw syntax, exactly as HTCondor's ``join_args`` writes them."""
    # build as one string to handle "merge with the previous quote" as HTCondor does
    result = ""
    for word in words:
        if result:
            result += " "
        if not word:
            result += "''"
        for c in word:
            if c in " \t\n\r'":
                if result and result[-1] == "'":
                    result = result[:-1]
                else:
                    result += "'"
                if c == "'":
                    result += "'"
                result += c + "'"
            else:
                result += c
    return result


def parse_arguments(text: str) -> tuple[list[str], bool]:
    """(words, input was V1) of an ``arguments`` value."""
    if is_v2_quoted(text):
        return split_v2(v2_quoted_to_raw(text)), False
    raw: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            raise ArgsError(f"Found illegal unescaped double-quote: {text[i:]}")
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] == '"':
            raw.append('"')
            i += 2
            continue
        raw.append(text[i])
        i += 1
    return _split_blanks("".join(raw)), True


def _split_blanks(text: str) -> list[str]:
    words: list[str] = []
    buf: list[str] = []
    for c in text:
        if c in _BLANKS:
            if buf:
                words.append("".join(buf))
                buf = []
        else:
            buf.append(c)
    if buf:
        words.append("".join(buf))
    return words


def args_v1_raw(words: list[str]) -> str:
    return " ".join(words)


def args_v2_raw(words: list[str]) -> str:
    return join_v2(words)


def _set_env(entry: str, env: dict[str, str]) -> None:
    eq = entry.find("=")
    if eq < 0:
        if "$$" in entry:
            env[entry] = "\x01\x02\x03\x04\x05\x06"
            return
        raise ArgsError(f"ERROR: Missing '=' after environment variable '{entry}'.")
    if eq == 0:
        raise ArgsError(f"ERROR: missing variable in '{entry}'.")
    env[entry[:eq]] = entry[eq + 1 :]


def parse_environment(text: str, env: dict[str, str]) -> bool:
    """Merge an ``environment`` value into ``env``; return True when the input was V1."""
    if is_v2_quoted(text):
        for entry in split_v2(v2_quoted_to_raw(text)):
            _set_env(entry, env)
        return False
    if not text:
        return True
    delim = ";"
    if text[0] == delim:
        text = text[1:]
    elif text[0] in _V1_ENV_DELIMS:
        delim = text[0]
        text = text[1:]
    i = 0
    n = len(text)
    while i < n:
        while i < n and text[i] in _BLANKS:
            i += 1
        start = i
        while i < n and text[i] != "\n" and text[i] != delim:
            i += 1
        entry = text[start:i]
        i += 1
        if entry:
            _set_env(entry, env)
    return True


NO_VALUE = "\x01\x02\x03\x04\x05\x06"


def env_v2_raw(env: dict[str, str]) -> str:
    return join_v2([k if v == NO_VALUE else f"{k}={v}" for k, v in env.items()])


def env_v1_raw(env: dict[str, str], delim: str = ";") -> str:
    for k, v in env.items():
        if delim in v or "\n" in v:
            raise ArgsError(f"Cannot represent '{k}={v}' in V1 environment syntax.")
    return delim.join(k if v == NO_VALUE else f"{k}={v}" for k, v in env.items())
