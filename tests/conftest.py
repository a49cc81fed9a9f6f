from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def reference_dir():
    """The public reference water dataset in ../shared/reference, if present."""
    if not (REFERENCE / "chemrev_nuprime-theta-grid_computed.xyz").is_file():
        pytest.skip(f"no reference dataset at {REFERENCE}")
    return REFERENCE


# the same examples on every run, so that CI is reproducible
settings.register_profile("deterministic", derandomize=True, deadline=None)
settings.load_profile("deterministic")
