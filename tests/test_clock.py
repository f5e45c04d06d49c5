"""``classad.clock(t)`` pins what every clock-reading function and ``CurrentTime`` see."""

from __future__ import annotations

import datetime
import threading

import pytest

import classad

T = 1_700_000_000  # 2023-11-14T22:13:20Z


def test_every_clock_reader_sees_the_pin() -> None:
    ad = classad.ClassAd(
        "[a = time(); b = CurrentTime; c = currentTime(); d = dayTime(); e = CurrentTime + 1]"
    )
    with classad.semantics("htcondor"), classad.clock(T):
        assert ad.eval("a") == T
        assert ad.eval("b") == T  # old semantics: an unbound CurrentTime is now
        assert ad.eval("e") == T + 1
        assert ad.eval("c") == datetime.datetime.fromtimestamp(T, datetime.timezone.utc)
        local = datetime.datetime.fromtimestamp(T)
        assert ad.eval("d") == local.hour * 3600 + local.minute * 60 + local.second
        assert classad.ExprTree("time() - 100").eval() == T - 100


def test_pin_is_undone_nests_and_is_not_cached() -> None:
    ad = classad.ClassAd("[start = time() < ToRetire; ToRetire = 1700000500]")
    with classad.clock(T):
        assert ad.eval("start") is True
        with classad.clock(T + 1000) as pinned:
            assert pinned == T + 1000
            assert ad.eval("start") is False  # the same compiled tree, another clock
        assert ad.eval("start") is True
    assert ad.eval("start") is False  # the real clock is far past 2023
    with pytest.raises(RuntimeError), classad.clock(T):
        raise RuntimeError
    assert classad.ExprTree("time()").eval() > T + 10**7


def test_pin_accepts_aware_datetimes_and_refuses_the_rest() -> None:
    when = datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)
    with classad.clock(when):
        assert classad.ExprTree("time()").eval() == T
    with pytest.raises(TypeError, match="aware"):
        with classad.clock(datetime.datetime(2023, 1, 1)):
            pass
    with pytest.raises(ValueError, match="finite"):
        with classad.clock(float("nan")):
            pass
    with pytest.raises(TypeError):
        with classad.clock("now"):  # type: ignore[arg-type]
            pass


def test_pin_holds_in_its_own_thread_only() -> None:
    seen: list[object] = []
    with classad.clock(T):
        worker = threading.Thread(target=lambda: seen.append(classad.ExprTree("time()").eval()))
        worker.start()
        worker.join()
        assert classad.ExprTree("time()").eval() == T
    assert isinstance(seen[0], int) and seen[0] > T + 10**7


def test_pinned_clock_decides_a_match() -> None:
    slot = classad.ClassAd(
        '[MyType = "Machine"; GLIDEIN_ToRetire = 1700000500; Requirements = time() < GLIDEIN_ToRetire]'
    )
    job = classad.ClassAd("[Requirements = true]")
    with classad.clock(T):
        assert job.symmetricMatch(slot)
    with classad.clock(T + 3600):
        assert not job.symmetricMatch(slot)
