"""Features, linear fits and errors shared by the model pages of chapter 6.

The pages of chapter 6 fit linear models to the water dataset: its dipole on
oxygen-centred λ = 1 features, its energy and forces on invariant SOAP
features, and a rank-2 tensor on λ = 0 and λ = 2 features. Each page runs on
its own, so what several of them need is here:

- the chessboard split of the 11 × 11 grid (:func:`chessboard_split`) and the
  256 rotated copies of one molecule that chapter 2 introduced
  (:func:`euler_angle_grid`, :func:`rotated_copies`);
- the featomic calculators with the chapter's hypers, and the features they
  give: oxygen-centred spherical tensors (:func:`oxygen_features`) and the
  per-molecule SOAP power spectrum with its position gradients
  (:func:`energy_features`);
- ridge regression (:func:`ridge_weights`) and the two models built on it,
  :class:`DipoleModel` and :class:`EnergyModel`;
- the Cartesian baseline's features (:func:`monomials`,
  :func:`bond_monomials`);
- the errors the pages report (:func:`rmse`, :func:`relative_error`).

Units: positions in Å, dipoles in e·Å, energies in eV, forces in eV/Å.
Spherical components come in featomic's order, ``o3_mu`` = −1, 0, 1, which
for λ = 1 is (y, z, x).
"""

from __future__ import annotations

import functools
from itertools import combinations_with_replacement
from math import comb

import numpy as np

__all__ = [
    "DENSITY_HYPERS",
    "SOAP_HYPERS",
    "DipoleModel",
    "EnergyModel",
    "bond_monomials",
    "chessboard_split",
    "density_calculator",
    "energy_features",
    "euler_angle_grid",
    "lambda_soap_calculator",
    "monomials",
    "oxygen_features",
    "relative_error",
    "ridge_weights",
    "rmse",
    "rotated_copies",
    "soap_calculator",
]

#: The neighbour density of chapter 6, Gaussians 0.3 Å wide within 4 Å,
#: expanded up to l = 3 on 6 GTO radial functions.
DENSITY_HYPERS = {
    "cutoff": {"radius": 4.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
    "density": {"type": "Gaussian", "width": 0.3},
    "basis": {
        "type": "TensorProduct",
        "max_angular": 3,
        "radial": {"type": "Gto", "max_radial": 5},
    },
}
#: The SOAP power spectrum of the energy model, on the same density, up to l = 4.
SOAP_HYPERS = {
    "cutoff": DENSITY_HYPERS["cutoff"],
    "density": DENSITY_HYPERS["density"],
    "basis": {
        "type": "TensorProduct",
        "max_angular": 4,
        "radial": {"type": "Gto", "max_radial": 5},
    },
}
#: atomic numbers of the species of the dataset
_SPECIES = (1, 8)
#: Cartesian (x, y, z) from the λ = 1 order (y, z, x), and back
_XYZ, _YZX = [2, 0, 1], [1, 2, 0]


def _check_frames(frames, name="frames"):
    frames = list(frames)
    if not frames:
        raise ValueError(f"{name} is empty: expected a list of ase.Atoms")
    for k, atoms in enumerate(frames):
        if not hasattr(atoms, "get_atomic_numbers"):
            raise ValueError(
                f"{name}[{k}] is a {type(atoms).__name__}, expected ase.Atoms"
            )
    return frames


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


def _check_regularization(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise ValueError(f"regularization must be a number, got {value!r}")
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"regularization must be finite and >= 0, got {value!r}")
    return float(value)


def chessboard_split(n_frames, columns=11):
    """Split a grid of frames into two halves, like the squares of a chessboard.

    Frame ``k`` sits in row ``k // columns`` and column ``k % columns`` of the
    grid (for the water dataset, r1 and θ: 11 × 11). The training frames are
    the "white" squares, whose row and column add up to an even number, the
    test frames the "black" ones, so that every test frame lies between
    training frames.

    Parameters
    ----------
    n_frames : int
        Number of frames (121 for the water dataset).
    columns : int
        Number of frames per row of the grid.

    Returns
    -------
    train, test : numpy.ndarray of int
        Indices of the training and the test frames, in increasing order.
    """
    n_frames = _check_positive_int(n_frames, "n_frames")
    columns = _check_positive_int(columns, "columns")
    row, column = np.divmod(np.arange(n_frames), columns)
    white = (row + column) % 2 == 0
    return np.flatnonzero(white), np.flatnonzero(~white)


def euler_angle_grid():
    """The 256 orientations of chapter 2: 8 α × 4 β × 8 γ, ZYZ Euler angles.

    α and γ run over multiples of 45°, β over 22.5°, 67.5°, 112.5° and 157.5°
    (so that no two orientations are the same rotation).

    Returns
    -------
    alpha, beta, gamma : numpy.ndarray, shape (256,)
        The angles in radians, α slowest and γ fastest.
    """
    alphas = np.arange(8) * np.pi / 4
    betas = (np.arange(4) + 0.5) * np.pi / 4
    grid = np.meshgrid(alphas, betas, alphas, indexing="ij")
    return tuple(angle.ravel() for angle in grid)


def rotated_copies(atoms, rotations):
    """Copies of one structure, rotated about the origin.

    Parameters
    ----------
    atoms : ase.Atoms
        The structure (its ``info`` and ``arrays`` are copied, not rotated).
    rotations : array_like, shape (n, 3, 3)
        Orthogonal matrices, e.g. from
        :func:`tutorial_helpers.rotations.rotation_matrix`.

    Returns
    -------
    list of ase.Atoms
        ``n`` copies, copy ``k`` with positions ``rotations[k] @ r``.
    """
    (atoms,) = _check_frames([atoms], "atoms")
    rotations = np.asarray(rotations, dtype=np.float64)
    if rotations.ndim != 3 or rotations.shape[1:] != (3, 3):
        raise ValueError(f"rotations must have shape (n, 3, 3), got {rotations.shape}")
    identity = np.einsum("kij,kil->kjl", rotations, rotations)
    if not np.allclose(identity, np.eye(3), atol=1e-10):
        raise ValueError("rotations must be orthogonal matrices")
    copies = []
    for R in rotations:
        moved = atoms.copy()
        moved.positions = atoms.positions @ R.T
        copies.append(moved)
    return copies


@functools.cache
def density_calculator():
    """featomic's spherical expansion with :data:`DENSITY_HYPERS` (one shared
    instance): the density coefficients, of correlation order ν = 1."""
    import featomic

    return featomic.SphericalExpansion(**DENSITY_HYPERS)


@functools.cache
def lambda_soap_calculator():
    """featomic's λ-SOAP (:class:`featomic.clebsch_gordan.EquivariantPowerSpectrum`)
    of the density of :func:`density_calculator`: products of two density
    coefficients, correlation order ν = 2 (body order 3)."""
    from featomic.clebsch_gordan import EquivariantPowerSpectrum

    return EquivariantPowerSpectrum(density_calculator(), neighbor_types=_SPECIES)


@functools.cache
def soap_calculator():
    """featomic's SOAP power spectrum with :data:`SOAP_HYPERS` (one shared
    instance): the invariant λ = 0 λ-SOAP, with position gradients."""
    import featomic

    return featomic.SoapPowerSpectrum(**SOAP_HYPERS)


def oxygen_features(frames, o3_lambda=1, *, nu, o3_sigma=1):
    """The oxygen-centred (λ, σ) features of water molecules, one per frame.

    Parameters
    ----------
    frames : list of ase.Atoms
        Structures with exactly one oxygen each.
    o3_lambda : int
        λ, from 0 to 3 (the density's largest l).
    nu : {1, 2}
        Correlation order: 1 for the density coefficients (body order 2),
        2 for λ-SOAP (body order 3). Each neighbour species' features are
        properties.
    o3_sigma : {1, -1}
        σ. Only λ-SOAP (ν = 2) has σ = −1 blocks.

    Returns
    -------
    numpy.ndarray, shape (n_frames, 2λ + 1, p)
        The features of frame ``k`` in row ``k``, components ``o3_mu`` from
        −λ to λ.
    """
    from metatensor import Labels

    frames = _check_frames(frames)
    if nu not in (1, 2):
        raise ValueError(f"nu must be 1 or 2, got {nu!r}")
    largest = DENSITY_HYPERS["basis"]["max_angular"]
    if isinstance(o3_lambda, bool) or o3_lambda not in range(largest + 1):
        raise ValueError(
            f"o3_lambda must be an integer 0 to {largest}, got {o3_lambda!r}"
        )
    if o3_sigma not in (1, -1):
        raise ValueError(f"o3_sigma must be 1 or -1, got {o3_sigma!r}")
    if nu == 1 and o3_sigma == -1:
        raise ValueError("the density coefficients (nu = 1) all have o3_sigma = 1")
    for k, atoms in enumerate(frames):
        n_oxygens = int(np.sum(atoms.numbers == 8))
        if n_oxygens != 1:
            raise ValueError(
                f"frames[{k}] has {n_oxygens} oxygens: expected exactly one"
            )
    if nu == 1:
        tensor = density_calculator().compute(frames)
        tensor = tensor.keys_to_properties(
            Labels(["neighbor_type"], np.array([[z] for z in _SPECIES]))
        )
    else:
        keys = Labels(["o3_lambda", "o3_sigma"], np.array([[o3_lambda, o3_sigma]]))
        tensor = lambda_soap_calculator().compute(
            frames, selected_keys=keys, neighbors_to_properties=True
        )
    block = tensor.block(
        {"o3_lambda": o3_lambda, "o3_sigma": o3_sigma, "center_type": 8}
    )
    order = np.argsort(block.samples.column("system"))
    return np.asarray(block.values)[order]


def energy_features(frames):
    """Per-molecule sums of the SOAP power spectrum, and their position gradients.

    The atomic features of each centre species are summed over the atoms of
    each frame (:func:`metatensor.sum_over_samples`) and set side by side
    (H centres, then O centres), so that a linear model of these is a sum of
    atomic energies with one set of weights per species.

    Parameters
    ----------
    frames : list of ase.Atoms
        Structures of H and O, all with the same number of atoms.

    Returns
    -------
    values : numpy.ndarray, shape (n_frames, p)
        The summed features.
    gradients : numpy.ndarray, shape (n_frames, n_atoms, 3, p)
        Their gradients with respect to the position (x, y, z) of each atom,
        in 1/Å times the features' units.
    """
    import metatensor
    from metatensor import Labels

    frames = _check_frames(frames)
    n_atoms = len(frames[0])
    for k, atoms in enumerate(frames):
        if len(atoms) != n_atoms:
            raise ValueError(
                f"frames[{k}] has {len(atoms)} atoms: expected {n_atoms}, "
                "like frames[0]"
            )
        others = sorted(int(z) for z in set(atoms.numbers) - set(_SPECIES))
        if others:
            raise ValueError(f"frames[{k}] has atoms {others}: expected only H and O")
    descriptor = soap_calculator().compute(frames, gradients=["positions"])
    pairs = [[a, b] for a in _SPECIES for b in _SPECIES if a <= b]
    descriptor = descriptor.keys_to_properties(
        Labels(["neighbor_1_type", "neighbor_2_type"], np.array(pairs))
    )
    per_molecule = metatensor.sum_over_samples(descriptor, sample_names="atom")
    per_molecule = per_molecule.keys_to_properties(
        Labels(["center_type"], np.array([[z] for z in _SPECIES]))
    )
    block = per_molecule.block()
    gradient = block.gradient("positions")
    values = np.asarray(block.values)
    # gradient rows (sample, system, atom) -> (n_frames, n_atoms, 3, p)
    gradients = np.zeros((len(frames), n_atoms, 3, values.shape[1]))
    samples = gradient.samples.values
    gradients[samples[:, 1], samples[:, 2]] = gradient.values
    order = np.argsort(block.samples.column("system"))
    return values[order], gradients


def ridge_weights(rows, targets, regularization):
    """Weights ``w`` minimising ``|rows @ w - targets|² + s |w|²``.

    The penalty is relative: ``s = regularization * trace(rowsᵀ rows) / p``,
    the mean squared norm of a feature column times ``regularization``, so
    that the same value suits features of any scale.

    Parameters
    ----------
    rows : array_like, shape (n, p)
        One row of features per fitted value.
    targets : array_like, shape (n,) or (n, k)
        The values to fit (k columns fitted at once, with the same rows).
    regularization : float
        ``s`` relative to the features' scale, ``>= 0``.

    Returns
    -------
    numpy.ndarray, shape (p,) or (p, k)
    """
    rows = np.asarray(rows, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    regularization = _check_regularization(regularization)
    if rows.ndim != 2:
        raise ValueError(f"rows must have shape (n, p), got {rows.shape}")
    if targets.ndim not in (1, 2) or len(targets) != len(rows):
        raise ValueError(
            f"targets must have shape ({len(rows)},) or ({len(rows)}, k) to match "
            f"rows, got {targets.shape}"
        )
    if not (np.all(np.isfinite(rows)) and np.all(np.isfinite(targets))):
        raise ValueError("rows and targets must be finite")
    gram = rows.T @ rows
    scale = regularization * np.trace(gram) / rows.shape[1]
    return np.linalg.solve(gram + scale * np.eye(rows.shape[1]), rows.T @ targets)


class DipoleModel:
    r"""Linear model of the dipole on λ = 1 features, one weight per feature.

    The prediction is :math:`\mu_m = \sum_q w_q X_{mq}` for m = −1, 0, 1: the
    same weights
    for the three components, and no intercept. Whatever the weights, it turns
    with the features, so it is equivariant by construction. The weights come
    from ridge regression (:func:`ridge_weights`) on the three components of
    every training molecule, stacked as rows.

    Parameters
    ----------
    nu : {1, 2}
        Correlation order of the features (:func:`oxygen_features`), used when
        the model is called on frames.
    regularization : float
        Relative ridge penalty.
    """

    def __init__(self, nu=2, regularization=1e-7):
        if nu not in (1, 2):
            raise ValueError(f"nu must be 1 or 2, got {nu!r}")
        self.nu = nu
        self.regularization = _check_regularization(regularization)
        self.weights = None

    def fit(self, X, dipoles):
        """Fit on features ``X`` (n, 3, p) and Cartesian dipoles (n, 3) in e·Å.

        Returns the model itself.
        """
        X = np.asarray(X, dtype=np.float64)
        dipoles = np.asarray(dipoles, dtype=np.float64)
        if X.ndim != 3 or X.shape[1] != 3:
            raise ValueError(f"X must have shape (n, 3, p), got {X.shape}")
        if dipoles.shape != (len(X), 3):
            raise ValueError(
                f"dipoles must have shape ({len(X)}, 3) to match X, got {dipoles.shape}"
            )
        rows = X.reshape(-1, X.shape[-1])  # (n · 3, p)
        target = dipoles[:, _YZX].reshape(-1)  # (y, z, x) to match o3_mu
        self.weights = ridge_weights(rows, target, self.regularization)
        return self

    def predict(self, X):
        """Cartesian (x, y, z) dipoles (n, 3), in e·Å, from features (n, 3, p)."""
        if self.weights is None:
            raise ValueError("the model is not fitted: call fit first")
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 3 or X.shape[1:] != (3, len(self.weights)):
            raise ValueError(
                f"X must have shape (n, 3, {len(self.weights)}), got {X.shape}"
            )
        return (X @ self.weights)[:, _XYZ]

    def __call__(self, frames):
        """Dipoles (n, 3) in e·Å of water molecules, from their features."""
        return self.predict(oxygen_features(frames, 1, nu=self.nu))


class EnergyModel:
    r"""E = w · (summed SOAP features) + b, fitted on energies and forces.

    The forces are minus the gradient of the energy,
    :math:`\boldsymbol{F}_k = -\sum_q w_q\, \partial X_q / \partial \boldsymbol{r}_k`:
    they need no weights of their own. The fit
    stacks the energy rows and the force rows (each times ``force_weight``)
    and solves them by ridge regression (:func:`ridge_weights`).

    Parameters
    ----------
    force_weight : float
        How many eV of energy error weigh as much as 1 eV/Å of force error.
    regularization : float
        Relative ridge penalty.
    """

    def __init__(self, force_weight=0.1, regularization=1e-9):
        if not (np.isfinite(force_weight) and force_weight >= 0):
            raise ValueError(
                f"force_weight must be finite and >= 0 (in Å), got {force_weight!r}"
            )
        self.force_weight = float(force_weight)
        self.regularization = _check_regularization(regularization)
        self.weights = None

    def fit(self, X, gradients, energies, forces):
        """Fit on features (n, p), their gradients (n, n_atoms, 3, p), energies
        (n,) in eV and forces (n, n_atoms, 3) in eV/Å. Returns the model."""
        X = np.asarray(X, dtype=np.float64)
        gradients = np.asarray(gradients, dtype=np.float64)
        energies = np.asarray(energies, dtype=np.float64)
        forces = np.asarray(forces, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"X must have shape (n, p), got {X.shape}")
        n, p = X.shape
        if (
            gradients.ndim != 4
            or gradients.shape[0] != n
            or gradients.shape[2:]
            != (
                3,
                p,
            )
        ):
            raise ValueError(
                f"gradients must have shape ({n}, n_atoms, 3, {p}), "
                f"got {gradients.shape}"
            )
        if energies.shape != (n,):
            raise ValueError(f"energies must have shape ({n},), got {energies.shape}")
        if forces.shape != gradients.shape[:3]:
            raise ValueError(
                f"forces must have shape {gradients.shape[:3]}, got {forces.shape}"
            )
        energy_rows = np.hstack([X, np.ones((n, 1))])
        force_rows = np.hstack(
            [-gradients.reshape(-1, p), np.zeros((gradients[..., 0].size, 1))]
        )
        rows = np.vstack([energy_rows, self.force_weight * force_rows])
        targets = np.concatenate([energies, self.force_weight * forces.reshape(-1)])
        self.weights = ridge_weights(rows, targets, self.regularization)
        return self

    def predict(self, X, gradients):
        """Energies (n,) in eV and forces (n, n_atoms, 3) in eV/Å."""
        if self.weights is None:
            raise ValueError("the model is not fitted: call fit first")
        energy = np.asarray(X) @ self.weights[:-1] + self.weights[-1]
        forces = -np.asarray(gradients) @ self.weights[:-1]
        return energy, forces

    def energy(self, frames):
        """Energies (n,) of the frames, in eV."""
        return self.predict(*energy_features(frames))[0]

    def forces(self, frames):
        """Forces (n, n_atoms, 3) on the atoms of the frames, in eV/Å."""
        return self.predict(*energy_features(frames))[1]


def monomials(values, degree):
    """1 and every monomial of degree 1 to ``degree`` of the columns of values.

    Parameters
    ----------
    values : array_like, shape (n, d)
    degree : int

    Returns
    -------
    numpy.ndarray, shape (n, C(d + degree, degree))
        Column 0 is 1, then the d columns, then their products two at a time
        (with repetition), and so on.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"values must have shape (n, d), got {values.shape}")
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)):
        raise ValueError(f"degree must be an integer, got {degree!r}")
    if degree < 0:
        raise ValueError(f"degree must be >= 0, got {degree}")
    columns = [np.ones(len(values))]
    for order in range(1, degree + 1):
        for index in combinations_with_replacement(range(values.shape[1]), order):
            columns.append(np.prod(values[:, index], axis=1))
    out = np.stack(columns, axis=1)
    assert out.shape[1] == comb(values.shape[1] + degree, degree)
    return out


def bond_monomials(positions, degree=3):
    """The Cartesian baseline's features: :func:`monomials` of the six
    coordinates of the two O–H bonds of each molecule.

    Parameters
    ----------
    positions : array_like, shape (n, 3, 3)
        Positions of O, H, H, in Å.
    degree : int
        Largest degree (3: 84 features).

    Returns
    -------
    numpy.ndarray, shape (n, C(6 + degree, degree))
    """
    positions = np.asarray(positions, dtype=np.float64)
    if positions.ndim != 3 or positions.shape[1:] != (3, 3):
        raise ValueError(
            f"positions must have shape (n, 3 atoms O, H, H, 3), got {positions.shape}"
        )
    bonds = positions[:, 1:] - positions[:, :1]
    return monomials(bonds.reshape(len(positions), 6), degree)


def rmse(predicted, target):
    """Root mean square of ``predicted − target`` over all their entries."""
    predicted = np.asarray(predicted, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    try:
        difference = predicted - target
    except ValueError:
        raise ValueError(
            f"predicted {predicted.shape} and target {target.shape} do not broadcast"
        ) from None
    return float(np.sqrt(np.mean(difference**2)))


def relative_error(predicted, target):
    r"""RMSE over the components that vary, as a fraction of their spread.

    Returns
    :math:`\sqrt{\sum_c \mathrm{MSE}_c \big/ \sum_c \mathrm{Var}_c}` over the
    components :math:`c` whose target varies over the rows,
    :math:`\mathrm{Var}_c` taken about each component's own mean, so that 1
    (100 %) is the error of predicting each component's mean. Components that
    do not vary, such as :math:`\mu_z` of flat molecules, are left out.

    Parameters
    ----------
    predicted, target : array_like, shape (n, k)
        n molecules, k components.
    """
    predicted = np.asarray(predicted, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if target.ndim != 2 or predicted.shape != target.shape:
        raise ValueError(
            "predicted and target must both have shape (n, k), got "
            f"{predicted.shape} and {target.shape}"
        )
    variance = target.var(axis=0)
    varies = variance > 1e-18 * np.abs(target).max() ** 2
    if not varies.any():
        raise ValueError("no component of target varies: the error is undefined")
    squared = np.mean((predicted - target) ** 2, axis=0)
    return float(np.sqrt(squared[varies].sum() / variance[varies].sum()))
