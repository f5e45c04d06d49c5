"""Shared fixtures of the query, Arrow and Dask tests: the OSPool sample, tiled dumps."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO.parent / "shared" / "data" / "pelican" / "ospool_sample.ads.gz"
HTCONDOR_DATA = REPO.parent / "shared" / "data" / "htcondor"


@pytest.fixture(scope="session")
def sample() -> Path:
    """The 205-ad OSPool sample (old long form, gzip)."""
    if not SAMPLE.is_file():
        pytest.skip(f"shared data not found at {SAMPLE} (expected ../shared/data beside the repository)")
    return SAMPLE


@pytest.fixture(scope="session")
def sample_text(sample: Path) -> str:
    """The sample, decompressed."""
    return gzip.decompress(sample.read_bytes()).decode("utf-8")


@pytest.fixture(scope="session")
def sample_plain(sample_text: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample as an uncompressed file (with a name that does not say what it is)."""
    path = tmp_path_factory.mktemp("plain") / "pool.dump"
    path.write_text(sample_text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def small_dump(sample_text: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 40 ads of the sample (old long form, uncompressed), for tests that read often."""
    ads = sample_text.split("\n\n")[:40]
    path = tmp_path_factory.mktemp("small") / "small.ads"
    path.write_text("\n\n".join(ads) + "\n\n", encoding="utf-8")
    return path
