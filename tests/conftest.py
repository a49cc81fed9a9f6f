from pathlib import Path

import numpy as np
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


@pytest.fixture(scope="session")
def md_frames():
    """The molecular-dynamics dataset of data/, loaded once for every test."""
    from tutorial_helpers.md_dataset import load_water_md_dataset

    return load_water_md_dataset()


def positions_of(frames):
    """Positions of frames of water, shape (n, 3, 3), in Angstrom."""
    return np.array([atoms.positions for atoms in frames])


def polarizabilities_of(frames):
    """The stored polarizabilities of frames, shape (n, 3, 3), in Å³."""
    return np.array([atoms.info["polarizability"] for atoms in frames])


# the same examples on every run, so that CI is reproducible
settings.register_profile("deterministic", derandomize=True, deadline=None)
settings.load_profile("deterministic")
