"""The HTCondor 24.12.24 oracle installs apart from 25.14.1 and really runs the v1 bindings."""

from __future__ import annotations

import pytest
from oracle_v24 import V24_VERSION, run_v24_json, v24_unavailable

_WHY = v24_unavailable()
pytestmark = pytest.mark.skipif(_WHY is not None, reason=_WHY or "")


def test_child_imports_v1_classad_and_submit() -> None:
    got = run_v24_json(
        "import json, classad, htcondor\n"
        "sub = htcondor.Submit('executable = /bin/echo\\narguments = a b\\nqueue')\n"
        "job = next(iter(sub.jobs(clusterid=7)))\n"
        "got = [htcondor.version(), hasattr(classad, 'parseOld'), job['Args'], job['ClusterId']]\n"
        "print(json.dumps(got))\n"
    )
    version, has_parse_old, args, cluster = got
    assert V24_VERSION in version
    assert has_parse_old is True  # v1 only: classad2 has no parseOld
    assert (args, cluster) == ("a b", 7)
