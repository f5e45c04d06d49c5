"""A user's script written against the typed API: it must pass ``mypy --strict`` unchanged.

It reads ads in every way HTCondor's modules (v1 and ``classad2``) and this library allow,
narrows evaluation results (:data:`classad.EvalResult`) before using them, builds
expressions, matches a job with a slot and prints in every form.  ``test_typed_api.py``
type-checks it and also runs :func:`main`, so every call here works at run time too.
"""

from __future__ import annotations

import datetime
import gzip
import io
import warnings
from collections.abc import Iterator
from pathlib import Path

import classad
from classad import ClassAd, EvalResult, ExprTree, ParserType, Value
from classad.formats import format_old


def as_int(value: EvalResult, default: int = 0) -> int:
    """An integer attribute's value, or ``default`` when it is undefined or not a number."""
    if isinstance(value, bool):
        return default
    if isinstance(value, (int, float)):
        return int(value)
    return default


def describe(value: EvalResult) -> str:
    """Every kind an evaluation can give, each handled by its own type."""
    if isinstance(value, Value):
        return str(value)  # "Undefined" or "Error"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, str):
        return value.upper()
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(describe(item) for item in value)
    if isinstance(value, ClassAd):
        return "[" + "; ".join(sorted(value)) + "]"
    return repr(value)  # an ExprTree


def jobs(text: str) -> Iterator[ClassAd]:
    """The ads of a dump given as text, read the ways the readers allow."""
    yield from classad.parseAds(text)
    yield from classad.parseAds(text, ParserType.Old, on_error="raise")
    yield from classad.parseAds(io.StringIO(text), parser=ParserType.Auto)
    yield from classad.parseAds(io.BytesIO(text.encode()))
    yield from classad.formats.parseAds(text, classad.ParserType.Old)


def read_files(directory: Path) -> list[ClassAd]:
    """Paths, text and binary files, gzip, ``parseNext``, ``parseOne``."""
    plain = directory / "jobs.ads"
    packed = directory / "jobs.ads.gz"
    ads = list(classad.parseAds(plain))
    ads += classad.parseAds(packed)
    with open(plain, encoding="utf-8") as text:
        ads.append(classad.parseNext(text))
    with open(plain, "rb") as binary:
        ads.extend(classad.parseAds(binary, ParserType.Old))
    with gzip.open(packed) as gz:
        ads.extend(classad.parseAds(gz))
    with gzip.open(packed, "rt", encoding="utf-8") as gzt:
        ads.append(classad.parseOne(gzt))
    maybe = classad.formats.parseNext(plain.read_text(encoding="utf-8"))  # classad2's: may be None
    if maybe is not None:
        ads.append(maybe)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ads.extend(classad.parseAds(plain, classad.Parser.Old))  # v1's parser kinds work too
    return ads


def match(job: ClassAd, slot: ClassAd) -> tuple[bool, int, str]:
    """Match a job and a slot, and read values back with their types narrowed."""
    matched = job.symmetricMatch(slot) and slot.matches(job)
    memory = as_int(slot.eval("Memory"))
    requested = as_int(job.get("RequestMemory", 0))
    owner = job.eval("Owner")
    name = owner if isinstance(owner, str) else "nobody"
    rank = job.lookup("Rank").eval(target=slot)
    if isinstance(rank, float) and rank > 0:
        name += f" (rank {rank:.1f})"
    return matched and memory >= requested, memory - requested, name


def build(job: ClassAd) -> ExprTree:
    """Expressions built from Python (v1's builders and operators)."""
    memory = classad.Attribute("Memory")
    requirement = (memory >= 1024).and_(classad.Function("member", "x", ["x", "y"]))
    job["Requirements"] = requirement
    job["Rank"] = classad.ExprTree("Memory / 1024.0")
    job["Limit"] = classad.Literal(7) * 2
    job.update(
        {"Env": {"PATH": "/bin"}, "Args": ["-v", 3], "When": datetime.datetime.now(datetime.timezone.utc)}
    )
    tree = job.lookup("Requirements")
    assert isinstance(job["Requirements"], ExprTree)
    flat = job.flatten(ExprTree("Limit + 1"))
    assert flat == 15
    return tree


def show(ad: ClassAd) -> list[str]:
    """Every printed form, in HTCondor's attribute order where asked."""
    return [
        repr(ad),
        str(ad),
        ad.printNew(htcondor_order=True),
        ad.printNew(htcondor_order=True, pretty=True),
        ad.printOld(),
        ad.printOld(htcondor_order=True, exact_reals=True),
        format_old(ad, htcondor_order=True),
        ad.printJson(htcondor_order=True),
        classad.quote(describe(ad.eval("Owner"))),
        classad.unquote('"x"'),
    ]


def main(directory: Path) -> dict[str, object]:
    """Run everything on a small dump written into ``directory``; return what it found."""
    text = (
        'Owner = "alice"\nRequestMemory = 2048\nRank = 1.5\n\n'
        'Owner = "bob"\nRequestMemory = 512\nRank = 0.0\n'
    )
    (directory / "jobs.ads").write_text(text, encoding="utf-8")
    with gzip.open(directory / "jobs.ads.gz", "wt", encoding="utf-8") as fh:
        fh.write(text)
    slot = ClassAd({"Memory": 4096, "Requirements": ExprTree("true"), "Nested": {"a": [1, 2.5, "s"]}})
    slot["Start"] = True
    job = ClassAd('[ Owner = "carol"; RequestMemory = 1024; Rank = 2.0; Requirements = true ]')
    value: EvalResult = slot["Nested"]
    found: dict[str, object] = {
        "jobs": len(list(jobs(text))),
        "files": len(read_files(directory)),
        "match": match(job, slot),
        "nested": describe(value),
        "undefined": describe(ExprTree("Missing").eval(slot)),
    }
    build(job)
    found["printed"] = len(show(job))
    with gzip.open(directory / "out.json.gz", "wb") as gz:
        found["dumped"] = classad.dump(classad.parseAds(text), gz, format="json", htcondor_order=True)
    buffer = io.StringIO()
    classad.dump(job, buffer, "old")
    classad.dump([job, slot], directory / "out.ads")
    expr = ExprTree("{ 10, 20 }")
    found["first"] = expr[0]
    found["items"] = [describe(item) for item in expr]
    return found
