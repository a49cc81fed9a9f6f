"""
Atom-centred density correlations (λ-SOAP)
==========================================

The density coefficients of the previous chapter rotate correctly, but they are
*linear* in the neighbour density: each neighbour adds its own contribution,
blind to the others. Chemistry lives in the correlations between neighbours,
such as bond angles. On this page we combine two copies of the density with
Clebsch–Gordan coefficients into **equivariant power spectrum** features
(λ-SOAP), see how their parity label σ arises, check their symmetries under
proper and improper rotations, and show numerically what the first-order
features miss. At the end you will be able to compute λ-SOAP features with
:class:`featomic.clebsch_gordan.EquivariantPowerSpectrum` and know which block to
use for an invariant or a vector target.

.. note::

    Read :ref:`sphx_glr_auto_examples_04_density_expansion.py` first.
"""

# %%
import featomic
import matplotlib.pyplot as plt
import numpy as np
from featomic.clebsch_gordan import EquivariantPowerSpectrum
from metatensor import Labels

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.rotations import (
    matrix_to_angles,
    random_rotation_matrix,
    wigner_d_real,
)
from tutorial_helpers.symmetry_check import transform_frames

# %%
# Coupling two densities
# ----------------------
#
# Call the density coefficients of the previous chapter the *ν = 1* features
# (one density, body order 2: the centre and one neighbour). The product of two of
# them, for the same central atom, has two neighbours and so knows about
# three-body geometry: angles. To keep the rotational behaviour simple, the product
# is coupled with Clebsch–Gordan coefficients
# :math:`C^{\lambda m}_{l_1 m_1 l_2 m_2}`:
#
# .. math::
#
#     \rho^{\otimes 2}_{\lambda m}(n_1 l_1 a_1; n_2 l_2 a_2) =
#     \sum_{m_1 m_2} C^{\lambda m}_{l_1 m_1 l_2 m_2}\,
#     c^{a_1}_{n_1 l_1 m_1}\, c^{a_2}_{n_2 l_2 m_2},
#     \qquad |l_1 - l_2| \le \lambda \le l_1 + l_2.
#
# Each result is a spherical tensor of degree λ: it rotates with
# :math:`D^\lambda(R)`. Repeating the product with more copies of the density gives
# higher body orders ν; that is the *Clebsch–Gordan iteration*
# :cite:p:`nigam2020`. The ν = 2 features are the λ-SOAP of
# :cite:t:`grisafi2018`; their λ = 0 part is the SOAP power spectrum
# :cite:p:`bartok2013`.
#
# Under inversion each :math:`c_{l}` picks up :math:`(-1)^{l}`, so the product picks
# up :math:`(-1)^{l_1 + l_2}`. Compared with a proper tensor of degree λ, whose sign
# is :math:`(-1)^\lambda`, that is an extra
#
# .. math::
#
#     \sigma = (-1)^{l_1 + l_2 + \lambda},
#
# the parity label stored in ``o3_sigma``. When :math:`l_1 + l_2 + \lambda` is odd
# the result is a pseudo-tensor (σ = −1), like the cross product of two vectors
# (:math:`l_1 = l_2 = \lambda = 1`).

hypers = {
    "cutoff": {"radius": 4.0, "smoothing": {"type": "ShiftedCosine", "width": 0.5}},
    "density": {"type": "Gaussian", "width": 0.3},
    "basis": {
        "type": "TensorProduct",
        "max_angular": 4,
        "radial": {"type": "Gto", "max_radial": 4},
    },
}
spherical_expansion = featomic.SphericalExpansion(**hypers)
lambda_soap = EquivariantPowerSpectrum(spherical_expansion)

frames = load_water_dataset()
features = lambda_soap.compute(frames, neighbors_to_properties=True)
print(features.keys)

# %%
# The keys are ``o3_lambda`` (up to :math:`2 l_\mathrm{max} = 8`), ``o3_sigma`` and
# ``center_type``; the properties record which :math:`(l_1, l_2)`, neighbour
# species and radial indices were combined. Every block obeys the parity rule:

block = features.block(o3_lambda=3, o3_sigma=-1, center_type=8)
print("properties:", block.properties.names)
for key, block in features.items():
    l1 = block.properties.column("l_1")
    l2 = block.properties.column("l_2")
    assert np.all((-1) ** (l1 + l2 + key["o3_lambda"]) == key["o3_sigma"])
print(f"σ = (−1)^(l₁ + l₂ + λ) holds for all {len(features.keys)} blocks")

# %%
# The invariant power spectrum
# ----------------------------
#
# The λ = 0, σ = +1 blocks are invariant: :math:`D^0 = 1`. They are the SOAP power
# spectrum, which featomic also computes directly with
# :class:`featomic.SoapPowerSpectrum`. Both agree, up to a factor √2 that
# ``SoapPowerSpectrum`` applies to pairs of *different* neighbour species, because it
# stores :math:`(a_1, a_2)` and :math:`(a_2, a_1)` together.

soap = featomic.SoapPowerSpectrum(**hypers).compute(frames)
soap = soap.keys_to_properties(["neighbor_1_type", "neighbor_2_type"])
largest = 0.0
for center in (1, 8):
    invariant = features.block(o3_lambda=0, o3_sigma=1, center_type=center)
    column = {tuple(p): i for i, p in enumerate(invariant.properties.values.tolist())}
    reference = soap.block(center_type=center)
    for j, (a1, a2, l, n1, n2) in enumerate(reference.properties.values.tolist()):
        ours = invariant.values[:, 0, column[(l, l, a1, n1, a2, n2)]]
        factor = 1.0 if a1 == a2 else np.sqrt(2)
        largest = max(largest, np.abs(reference.values[:, j] - factor * ours).max())
assert largest < 1e-12
print(f"λ = 0, σ = +1 block = SOAP power spectrum: largest deviation {largest:.1e}")

# %%
# Symmetries of a λ = 3 block, of each parity
# -------------------------------------------
#
# Take the λ = 3 blocks centred on oxygen, σ = +1 and σ = −1, for twenty molecules.
# Under a proper rotation both rotate with :math:`D^3(R)`. Under an improper
# rotation :math:`P = -R` (inversion followed by :math:`R`; with :math:`R = 1` it is
# the inversion itself) a tensor of degree λ and parity σ picks up
# :math:`\sigma(-1)^\lambda D^\lambda(R)`: :math:`-D^3(R)` for σ = +1, and
# :math:`+D^3(R)` for σ = −1, the extra sign.

subset = frames[::6]


def lambda3(frames):
    """The oxygen-centred λ = 3 blocks of both parities, {σ: values}."""
    keys = Labels(["o3_lambda"], np.array([[3]]))
    tensor = lambda_soap.compute(
        frames, selected_keys=keys, neighbors_to_properties=True
    )
    return {
        s: tensor.block(o3_lambda=3, o3_sigma=s, center_type=8).values for s in (1, -1)
    }


original = lambda3(subset)
for sigma in (1, -1):
    assert np.abs(original[sigma]).max() > 1e-3  # non-trivial blocks

rotations = np.concatenate([np.eye(3)[None], random_rotation_matrix(3, seed=5)])
for k, R in enumerate(rotations):
    D3 = wigner_d_real(3, *matrix_to_angles(R))
    for name, M, improper in (("proper R", R, False), ("improper −R", -R, True)):
        moved = lambda3(transform_frames(subset, M))
        for sigma in (1, -1):
            sign = sigma * (-1) ** 3 if improper else 1
            expected = sign * np.einsum("mp,spn->smn", D3, original[sigma])
            deviation = np.abs(moved[sigma] - expected).max()
            assert deviation < 1e-10, (name, sigma, deviation)
            if k < 2:
                label = "inversion" if (improper and k == 0) else name
                print(
                    f"{label:12s} σ = {sigma:+d}: picks up {sign:+d} × D³(R), "
                    f"largest deviation {deviation:.1e}"
                )
print(f"checked for {len(rotations)} rotations (the first one is the identity)")

# %%
# Why ν = 1 is not enough
# -----------------------
#
# The ν = 1 features are a *sum over neighbours*: each neighbour contributes its own
# term, regardless of where the others are. For a water molecule, the oxygen-centred
# coefficients are those of the molecule without H2, plus those without H1, minus
# those of the lone oxygen. The ν = 2 features are not: they contain products of the
# two hydrogens' contributions, the three-body terms that encode the angle.

molecule = frames[40]
without_h2, without_h1, lone_oxygen = molecule[[0, 1]], molecule[[0, 2]], molecule[[0]]


def oxygen_features(calculator, atoms, lam, center_type=8):
    """Values and properties of the σ = +1 block of degree ``lam`` centred on the
    first atom of type ``center_type`` (8: the oxygen; 1: H1)."""
    if isinstance(calculator, EquivariantPowerSpectrum):
        tensor = calculator.compute(atoms, neighbors_to_properties=True)
    else:
        tensor = calculator.compute(atoms).keys_to_properties("neighbor_type")
    block = tensor.block({"o3_lambda": lam, "o3_sigma": 1, "center_type": center_type})
    return block.values[0], block.properties


def additivity_error(calculator, lam):
    """|c(molecule) - c(O,H1) - c(O,H2) + c(O)| / |c(molecule)|."""
    parts = [
        oxygen_features(calculator, atoms, lam)
        for atoms in (molecule, without_h2, without_h1, lone_oxygen)
    ]
    reference_properties = parts[0][1]
    total = np.zeros_like(parts[0][0])
    for sign, (values, properties) in zip((1, -1, -1, 1), parts, strict=True):
        index = [reference_properties.position(p) for p in properties]
        total[:, index] += sign * values
    return np.abs(total).max() / np.abs(parts[0][0]).max()


error_nu1 = additivity_error(spherical_expansion, 1)
error_nu2 = additivity_error(lambda_soap, 1)
print(f"λ = 1, ν = 1: non-additive part {error_nu1:.1e} (sum of one-neighbour terms)")
print(f"λ = 1, ν = 2: non-additive part {error_nu2:.2f} (three-body terms)")
assert error_nu1 < 1e-12 and error_nu2 > 0.1

# %%
# So a linear model on ν = 1, λ = 1 features predicts a dipole of the form
# :math:`f(r_1)\,\hat{\mathbf{b}}_1 + f(r_2)\,\hat{\mathbf{b}}_2`: one contribution
# per bond, whose size cannot depend on the H–O–H angle. The PS dipole comes from
# charges that *do* depend on the angle, so this model must fail; chapter 6 shows by
# how much.
#
# The same holds for invariants, even more starkly. The ν = 1 invariants
# (λ = 0) of the **oxygen** depend on the two O–H distances only. Along a row of
# the grid, where :math:`r_1` and :math:`r_2` are fixed and only θ changes, they
# do not change at all: the oxygen's ν = 1 invariants cannot tell these eleven
# molecules apart. Its ν = 2 invariants can.
#
# The centre matters. A **hydrogen** sees the other hydrogen at
# :math:`r_\mathrm{HH} = \sqrt{r_1^2 + r_2^2 - 2 r_1 r_2 \cos\theta}`, which
# changes with θ, so its ν = 1 invariants do change along the row: the angle
# reaches them as one more distance.

row = frames[55:66]  # r1 = r2 = 0.95 Å, θ = 60° ... 160°
theta = np.array([atoms.info["HOH"] for atoms in row])


def relative_change(values):
    """Largest change along the row, relative to the largest value."""
    return np.abs(values - values[0]).max() / np.abs(values).max()


nu1 = np.array(
    [oxygen_features(spherical_expansion, atoms, 0)[0].ravel() for atoms in row]
)
nu2 = np.array([oxygen_features(lambda_soap, atoms, 0)[0].ravel() for atoms in row])
nu1_h = np.array(
    [oxygen_features(spherical_expansion, atoms, 0, 1)[0].ravel() for atoms in row]
)
spread_nu1, spread_nu2 = relative_change(nu1), relative_change(nu2)
spread_nu1_h = relative_change(nu1_h)
print(
    f"changes along θ = 60° ... 160° (relative to the largest value): "
    f"O-centred ν = 1: {spread_nu1:.1e}, O-centred ν = 2: {spread_nu2:.2f}, "
    f"H-centred ν = 1: {spread_nu1_h:.2f}"
)
# (not exactly zero: the positions in the data file are rounded to 1e-8 Å)
assert spread_nu1 < 1e-6 and spread_nu2 > 0.05 and spread_nu1_h > 0.05

# %%
# The plot shows, for each kind of feature, the six that change most along the
# row of the grid: for the oxygen's ν = 1 features even those are flat.

fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), constrained_layout=True, sharex=True)
for ax, values, title in (
    (axes[0], nu1, "O-centred ν = 1"),
    (axes[1], nu2, "O-centred ν = 2"),
    (axes[2], nu1_h, "H-centred ν = 1"),
):
    most_varying = np.argsort(np.ptp(values, axis=0))[-6:]
    ax.plot(theta, values[:, most_varying], marker="o")
    ax.set_title(f"{title}, λ = 0: 6 most varying", fontsize=10)
    ax.set_xlabel("θ (H–O–H angle) / °")
axes[0].set_ylabel("feature value (arbitrary units)")
plt.show()

# %%
# The dipole models of chapter 6 describe each molecule by its **oxygen**: one
# centre per molecule, so one set of features per dipole, and the ν = 1 model
# built on it is exactly the sum of bond terms above, which makes its failure
# easy to read. Hydrogen-centred ν = 1 features would see the angle through
# :math:`r_\mathrm{HH}`, but still only as a sum of two-body terms, one per
# neighbour; ν = 2 features see the two neighbours together, from any centre.
