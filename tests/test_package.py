"""The package's top level: its shortcuts, imported only when used."""

import subprocess
import sys
from pathlib import Path

import pytest

import tutorial_helpers
from tutorial_helpers import dataset, md_dataset, rotations


def test_shortcuts_are_the_modules_functions():
    assert tutorial_helpers.load_water_dataset is dataset.load_water_dataset
    assert tutorial_helpers.load_water_md_dataset is md_dataset.load_water_md_dataset
    assert tutorial_helpers.rotation_matrix is rotations.rotation_matrix
    assert tutorial_helpers.wigner_d_real is rotations.wigner_d_real
    assert set(tutorial_helpers.__all__) <= set(dir(tutorial_helpers))


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'load_dataset'"):
        tutorial_helpers.load_dataset  # noqa: B018


def test_importing_the_modules_leaves_featomic_ase_io_and_pyscf_alone():
    # Sphinx imports every module to find its source: it should not pay for
    # featomic and ase's file formats (most of a second) on every build; and loading
    # the datasets must work without PySCF
    modules = ", ".join(
        f"tutorial_helpers.{path.stem}"
        for path in sorted(Path(tutorial_helpers.__file__).parent.glob("*.py"))
    )
    code = (
        f"import sys, {modules};"
        "print(sorted(m for m in ('ase.io', 'featomic', 'pyscf') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
