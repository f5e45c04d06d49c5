"""Self-checks of ads(), ad_texts() and ads_satisfying()/ads_violating(): ads read back from their
repr, each format's text reads back as the ad that printed it, and solved ads make the policy
true (or not) as classad2 evaluates it in a child process."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.errors import FailedHealthCheck, Unsatisfiable
from oracle import Oracle

import classad
from classad.strategies import (
    GaveUp,
    GaveUpWarning,
    ad_texts,
    ads,
    ads_satisfying,
    ads_violating,
    attribute_names,
    strings,
    values,
)
from classad.strategies.ads import FORMATS, format_ad
from classad.strategies.clauses import clauses

TEN_CLAUSES = (
    'TARGET.Arch == "X86_64" && TARGET.OpSys == "LINUX" && TARGET.Memory >= 2048 && TARGET.Cpus >= 2'
    " && TARGET.Cpus <= 16 && TARGET.HasFileTransfer && !TARGET.IsBlackHole"
    ' && member(TARGET.GLIDEIN_Site, {"CHTC", "UNL"}) && TARGET.Disk > 1000000 && TARGET.OpSysMajorVer != 7'
)


def _read(text: str, fmt: str) -> list[classad.ClassAd]:
    if fmt in ("new", "new-line"):
        return [classad.ClassAd(text)]  # one ad's text (a stream reader skips an empty "[ ]")
    parser = {
        "old": classad.ParserType.Old,
        "json": classad.ParserType.JSON,
        "jsonl": classad.ParserType.JSON,
    }
    ptype = parser.get(fmt, classad.ParserType.XML if fmt == "xml" else classad.ParserType.New)
    return list(classad.parseAds(text, ptype))


@settings(max_examples=300)
@given(ads())
def test_ads_read_back_from_their_repr(ad: classad.ClassAd) -> None:
    assert classad.ClassAd(repr(ad)) == ad
    assert classad.ClassAd(str(ad)) == ad


@pytest.mark.parametrize("fmt", FORMATS)
def test_ad_texts_read_back_and_print_the_same(fmt: str) -> None:
    @settings(max_examples=120)
    @given(ad_texts(fmt))
    def check(text: str) -> None:
        got = _read(text, fmt)
        if fmt == "old" and text == "\n":
            assert got == []  # the empty ad: nothing to read
            return
        assert len(got) == 1, text
        assert format_ad(got[0], fmt) == text

    check()


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_texts_read_back_as_the_ad_that_printed_them(fmt: str) -> None:
    plain = strings(ascii_only=True).filter(lambda s: "\\" not in s and '"' not in s)
    value_st = values(text=plain if fmt == "old" else None)

    @settings(max_examples=80, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(ads(names=attribute_names(quoted=fmt != "old"), values=value_st, min_size=1))
    def check(ad: classad.ClassAd) -> None:
        text = format_ad(ad, fmt)
        assume(fmt != "old" or "\\" not in text)
        assert _read(text, fmt) == [ad], text

    check()


def test_ten_clause_policy_is_solved_not_filtered() -> None:
    policy = clauses(classad.ExprTree(TEN_CLAUSES), classad.ClassAd())
    assert len(policy.constraints) == 10
    assert policy.residual == ()


def _collect(strategy: st.SearchStrategy[classad.ClassAd], n: int) -> list[classad.ClassAd]:
    out: list[classad.ClassAd] = []

    @settings(max_examples=n)
    @given(strategy)
    def collect(ad: classad.ClassAd) -> None:
        out.append(ad)

    collect()
    return out


POLICIES = [
    (TEN_CLAUSES, None, None),
    (
        "Start && WithinResourceLimits",
        None,
        '[Memory = 4096; Cpus = 4; Start = TARGET.Owner != "mallory" && TARGET.JobUniverse == 5;'
        " WithinResourceLimits = TARGET.RequestMemory <= MY.Memory && TARGET.RequestCpus <= Cpus]",
    ),
    (
        'TARGET.x =?= 3 && TARGET.s == "Abc" && TARGET.r < 2.5 && TARGET.r >= -1 && isUndefined(TARGET.gone)'
        ' && TARGET.y isnt undefined && stringListMember(TARGET.v, "a,b,c") && (TARGET.z > 1 || TARGET.w)',
        {"Kept": 1},
        None,
    ),
]


@pytest.mark.parametrize(("expr", "base", "my"), POLICIES)
def test_ads_satisfying_make_the_policy_true_in_classad2(
    expr: str, base: dict[str, int] | None, my: str | None, reference: Oracle
) -> None:
    my_ad = classad.ClassAd(my) if my else classad.ClassAd()
    found = _collect(ads_satisfying(expr, base=base, my=my_ad), 150)
    for ad in found:
        assert classad.ExprTree(expr).eval(scope=my_ad, target=ad) is True
        for k in base or {}:
            assert ad[k] == base[k]  # type: ignore[index]
    results = reference.run(
        [{"kind": "ad_eval", "ad": repr(my_ad), "target": repr(ad), "expr": expr} for ad in found]
    )
    wrong = [(repr(ad), r) for ad, r in zip(found, results) if r.get("value") != "bool:true"]
    assert not wrong, wrong[:3]


@pytest.mark.parametrize(("expr", "base", "my"), POLICIES)
def test_ads_violating_make_the_policy_not_true_in_classad2(
    expr: str, base: dict[str, int] | None, my: str | None, reference: Oracle
) -> None:
    my_ad = classad.ClassAd(my) if my else classad.ClassAd()
    found = _collect(ads_violating(expr, base=base, my=my_ad), 150)
    results = reference.run(
        [{"kind": "ad_eval", "ad": repr(my_ad), "target": repr(ad), "expr": expr} for ad in found]
    )
    wrong = [(repr(ad), r) for ad, r in zip(found, results) if r.get("value") == "bool:true"]
    assert not wrong, wrong[:3]


def test_ads_violating_are_near_misses() -> None:
    expr = classad.ExprTree(TEN_CLAUSES)
    parts = [classad.ExprTree(p) for p in TEN_CLAUSES.split(" && ")]
    assert len(parts) == 10
    for ad in _collect(ads_violating(expr), 100):
        failing = [p for p in parts if p.eval(target=ad) is not True]
        assert len(failing) == 1, (repr(ad), failing)


def test_contradictory_policy_gives_up_and_says_why() -> None:
    with pytest.raises(GaveUp, match=r"TARGET\.x > 5 && TARGET\.x < 3"):
        _collect(ads_satisfying("TARGET.x > 5 && TARGET.x < 3"), 5)


def test_unsolvable_clause_gives_up_naming_it() -> None:
    with (
        pytest.raises((Unsatisfiable, FailedHealthCheck)),
        pytest.warns(GaveUpWarning, match=r'unsolved clauses: regexp\("\^zz\[0-9\]\{6\}\$",TARGET\.Name\)'),
    ):
        _collect(ads_satisfying('TARGET.Cpus > 1 && regexp("^zz[0-9]{6}$", TARGET.Name)', budget=5), 5)


def test_base_that_contradicts_the_policy_gives_up() -> None:
    with pytest.raises(GaveUp, match="contradicts"):
        _collect(ads_satisfying("TARGET.Memory > 4096", base={"Memory": 1024}), 5)
