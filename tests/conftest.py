from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def reference_dir():
    """The public reference water dataset in ../shared/reference, if present."""
    if not (REFERENCE / "chemrev_nuprime-theta-grid_computed.xyz").is_file():
        pytest.skip(f"no reference dataset at {REFERENCE}")
    return REFERENCE
