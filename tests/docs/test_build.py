"""The documentation site builds with Sphinx, warnings as errors, and has every page it should.

``python -m sphinx -W --keep-going -b html docs <tmp>`` must succeed (a broken docstring, a bad
cross-reference or a missing page fails it), and the result must have the quickstart, the
how-tos (the test-start-policy one too, when it exists), an API section for ``classad``,
``classad.formats`` and every tool subpackage present, and a reference entry for every
registered built-in.  Skips, saying what to install, when Sphinx or MyST-Parser is missing (the
``docs`` extra; Sphinx 9 needs Python 3.11).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import classad
from classad.eval.functions import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
if str(DOCS / "_ext") not in sys.path:
    sys.path.insert(0, str(DOCS / "_ext"))

MISSING = [name for name in ("sphinx", "myst_parser") if importlib.util.find_spec(name) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{' and '.join(MISSING)} not installed: pip install -e '.[docs]' -c constraints.txt "
    "(Sphinx and MyST-Parser; Python 3.11 or newer)",
)

HOWTOS = [
    "howto-read-dumps",
    "howto-test-requirements",
    "howto-migrate-v1",
    "howto-migrate-classad2",
    "howto-register-function",
    "howto-semantic-modes",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "html"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, f"sphinx-build -W failed:\n{proc.stderr[-20000:]}"
    return out


def test_pages(site: Path) -> None:
    expected = ["index", "quickstart", *HOWTOS, "reference/api", "reference/builtins", "deviations"]
    if (DOCS / "howto-test-start-policy.md").exists():
        expected.append("howto-test-start-policy")
    for page in expected:
        assert (site / f"{page}.html").is_file(), page
    index = (site / "index.html").read_text(encoding="utf-8")
    for page in expected[1:]:
        assert f'href="{page}.html"' in index, f"{page} is not in the table of contents"


def test_api_reference_covers_the_packages_present(site: Path) -> None:
    import classad_api

    api = (site / "reference" / "api.html").read_text(encoding="utf-8")
    packages = ["classad", "classad.formats", *classad_api.tool_packages()]
    for package in packages:
        assert f'id="module-{package}"' in api, package
    for name in classad.__all__:
        assert f'id="classad.{name}"' in api, name


def test_every_builtin_has_a_reference_entry(site: Path) -> None:
    import builtin_reference
    from sphinx.util.inventory import InventoryFile

    with (site / "objects.inv").open("rb") as fh:
        inventory = InventoryFile.load(fh, "", lambda base, uri: uri)
    data = getattr(inventory, "data", inventory)  # a plain dict before Sphinx 8.2's _Inventory
    documented = {name.lower() for name in data["std:classad-function"]}
    builtins = {key for key, fn in REGISTRY.items() if builtin_reference.is_builtin(fn)}
    assert builtins <= documented, sorted(builtins - documented)
    page = (site / "reference" / "builtins.html").read_text(encoding="utf-8")
    assert "stringListsIntersect" in page and "→" in page
