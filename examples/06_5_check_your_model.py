"""
6.5 · Check your own model, and towards networks
================================================

The models of this chapter turn with the molecule by construction, and the
Cartesian one does not. On this page we turn the checks of their symmetries into
a recipe that tests any model, then see how equivariant neural networks stack
the pieces of this tutorial, and which nonlinearities keep them exact. At the
end of this page you will be able to test your own model for rotations,
inversion and translations, and tell which layers of a network may break its
symmetry.

.. note::

    Read :ref:`chapter 6.1 <sphx_glr_auto_examples_06_1_dipole_model.py>`,
    :ref:`chapter 6.2 <sphx_glr_auto_examples_06_2_learning_rotations.py>` and
    :ref:`chapter 6.3 <sphx_glr_auto_examples_06_3_energy_and_forces.py>` first:
    this page checks their models.
"""

# %%
from itertools import combinations

import matplotlib.pyplot as plt
import numpy as np
from metatensor import Labels

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.models import (
    DipoleModel,
    EnergyModel,
    bond_monomials,
    chessboard_split,
    density_calculator,
    energy_features,
    euler_angle_grid,
    lambda_soap_calculator,
    oxygen_features,
    ridge_weights,
    rotated_copies,
)
from tutorial_helpers.rotations import (
    SPHERICAL_TO_XYZ,
    XYZ_TO_SPHERICAL,
    random_rotation_matrix,
    rotation_matrix,
)
from tutorial_helpers.symmetry_check import check_symmetries, transform_frames

frames = load_water_dataset()
dipoles = np.array([atoms.info["dipole"] for atoms in frames])  # e·Å
energies = np.array([atoms.info["energy"] for atoms in frames])  # eV
forces = np.array([atoms.arrays["forces"] for atoms in frames])  # eV/Å
positions = np.array([atoms.positions for atoms in frames])  # Å
train, test = chessboard_split(len(frames))

# the models of chapters 6.1 to 6.3, fitted as there
X_dipole = oxygen_features(frames, 1, nu=2)
dipole_model = DipoleModel(nu=2).fit(X_dipole[train], dipoles[train])
X_energy, X_gradient = energy_features(frames)
energy_model = EnergyModel().fit(
    X_energy[train], X_gradient[train], energies[train], forces[train]
)
baseline_weights = ridge_weights(bond_monomials(positions[train]), dipoles[train], 1e-6)

# %%
# Check your own model
# --------------------
#
# Any model can be tested the same way:
# :func:`tutorial_helpers.symmetry_check.check_symmetries` takes a callable from
# frames to predictions (a numpy array or a one-block TensorMap), transforms the
# frames by random rotations, the inversion, improper rotations and translations,
# and reports the largest deviation from what the symmetry requires. Invariant
# outputs must not change; polar vectors must rotate and flip under inversion.
#
# A check needs no labels, only structures on which a broken symmetry would
# show. Three atoms always lie in one plane, and the inversion of a planar
# structure is a rotation of it by π about its normal, followed by a translation
# along the normal when the plane misses the origin: on one water molecule
# an invariant model passes the inversion whatever its parity, so
# :func:`~tutorial_helpers.symmetry_check.check_symmetries` refuses an invariant
# check on frames that are all planar.
# We check the energy model on pairs of molecules, the second one turned out of
# the first one's plane, 3 Å away: far from any training molecule, which does not
# matter to a symmetry. A vector's inversion row can fail on a flat molecule (in
# its component normal to the plane, as exercise 1 shows), so the dipole model
# is checked on single molecules.

sample = frames[::10]
turn = rotation_matrix(0.3, 1.1, 0.5)
pairs = [
    a + b
    for a, b in zip(
        sample, transform_frames(sample[::-1], turn, [0.4, 0.8, 3.0]), strict=True
    )
]
reports = {
    "dipole, ν = 2 model": check_symmetries(dipole_model, sample, kind="vector"),
    "energy model": check_symmetries(energy_model.energy, pairs, kind="invariant"),
    "forces of the energy model": check_symmetries(
        energy_model.forces, pairs, kind="vector"
    ),
}
for name, report in reports.items():
    print(f"{name}: {report}\n")
    assert report.passed(1e-8)

# %%
# An energy that is not a true scalar
# -----------------------------------
#
# Add to the energy a *pseudoscalar*, a quantity that no rotation changes but the
# inversion flips: the triple product :math:`\det(X_{:,p}, X_{:,q}, X_{:,r})` of
# three λ = 1 density channels of the first oxygen (ν = 3, λ = 0, σ = −1), 100 eV
# per unit. On a flat molecule it is zero (its λ = 1 channels all lie in its
# plane), so on single molecules this energy is the energy model's; on pairs it
# fails the inversion rows, and only those.


def scalar_channels(frames):
    """Scalars X_p·X_p and pseudoscalars det(X_p, X_q, X_r) from the ν = 1,
    λ = 1 features X (3, p) of the first atom, an oxygen, of each frame."""
    tensor = density_calculator().compute(frames)
    tensor = tensor.keys_to_properties(Labels(["neighbor_type"], np.array([[1], [8]])))
    block = tensor.block({"o3_lambda": 1, "o3_sigma": 1, "center_type": 8})
    first = np.flatnonzero(block.samples.column("atom") == 0)
    first = first[np.argsort(block.samples.column("system")[first])]
    X = np.asarray(block.values)[first]  # (n_frames, 3, p)
    triples = np.array(list(combinations(range(X.shape[-1]), 3)))
    pseudoscalars = np.linalg.det(np.moveaxis(X[:, :, triples], 1, -1))
    return np.einsum("nmp,nmp->np", X, X), pseudoscalars


def parity_odd_energy(frames):
    """The energy model's energy plus 100 eV times a pseudoscalar, in eV."""
    return energy_model.energy(frames) + 100.0 * scalar_channels(frames)[1][:, 2]


flat_change = np.abs(
    parity_odd_energy(transform_frames(sample, -np.eye(3))) - parity_odd_energy(sample)
).max()
refusal = "no refusal"
try:
    check_symmetries(parity_odd_energy, sample, kind="invariant")
except ValueError as error:
    refusal = str(error)
odd = check_symmetries(parity_odd_energy, pairs, kind="invariant")
print(f"single molecules: inverted, it changes by {flat_change:.1e} eV, and")
print(f"  check_symmetries refuses: {refusal.split(' (')[0]}")
print(f"pairs of molecules: {odd}")
assert flat_change < 1e-10 and "are planar" in refusal
assert max(odd.deviations["rotation"], odd.deviations["translation"]) < 1e-8
assert min(odd.deviations["inversion"], odd.deviations["improper"]) > 0.1

# %%
# Another failure, on purpose: the Cartesian ridge model of chapter 6.2. It was
# trained on flat molecules, so rotating the input changes its prediction in the
# wrong way; translations, on the other hand, it handles, because it only sees
# bond vectors.


def cartesian_model(frames):
    """Dipoles (n, 3) in e·Å from the Cartesian model trained without copies."""
    return bond_monomials([atoms.positions for atoms in frames]) @ baseline_weights


broken = check_symmetries(cartesian_model, sample, kind="vector")
print(f"Cartesian ridge model: {broken}")
assert not broken.passed(1e-3)
assert broken.deviations["rotation"] > 0.1 and broken.deviations["translation"] < 1e-10

# %%
# The five reports side by side: each deviation relative to the scale of the
# model's outputs, on a log scale. The three models built to be symmetric sit at
# rounding error, below the 10⁻⁸ that ``passed()`` allows. The parity-odd energy
# fails the inversion and the improper rotations only; the Cartesian model breaks
# rotations, inversion and improper rotations by about as much as its largest
# output (between 0.4 and 1.6 times it), and keeps translations. (A
# deviation of exactly zero is drawn at 10⁻¹⁷.)

use_style()
all_reports = {**reports, "parity-odd energy": odd, "Cartesian ridge model": broken}
tests = list(broken.deviations)
relative = {
    name: np.array([report.deviations[t] / report.scale for t in tests])
    for name, report in all_reports.items()
}
cartesian = relative["Cartesian ridge model"]
print(
    "Cartesian model / largest output: "
    + ", ".join(
        f"{t} {value:.2f}" for t, value in zip(tests[:3], cartesian, strict=False)
    )
)
assert np.all((0.4 < cartesian[:3]) & (cartesian[:3] < 1.6))  # rotations, inversions
assert all(np.all(values < 1e-8) for values in list(relative.values())[:3])
assert np.all(relative["parity-odd energy"][[1, 2]] > 0.05)

fig, ax = plt.subplots(figsize=figure_size(4.6))
for k, (name, values) in enumerate(relative.items()):
    offsets = np.arange(len(tests)) + (k - 2) * 0.16
    ax.barh(offsets, np.maximum(values, 1e-17), height=0.16, label=name)
ax.axvline(1e-8, color="black", linestyle="--", linewidth=1)
ax.text(1.5e-8, -0.45, "tolerance 10⁻⁸", va="bottom")
ax.set_xscale("log")
ax.set_xlim(1e-18, 10)
ax.set_ylim(len(tests) - 0.5, -0.8)  # the first test at the top
ax.set_yticks(range(len(tests)), tests)
ax.set_xlabel("largest deviation / largest output")
ax.set_title(f"check_symmetries on {len(relative)} models")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
plt.show()
# sphinx_gallery_thumbnail_number = 1

# %%
# Towards equivariant networks
# ----------------------------
#
# Everything on these pages was built by hand: density coefficients that turn
# with :math:`D^\lambda`, Clebsch–Gordan products that keep them turning, linear
# models whose weights are shared over the components m. Equivariant neural
# networks stack the same pieces as learnable layers. Tensor field networks
# :cite:p:`thomas2018` and the interatomic potentials built like them, NequIP
# :cite:p:`batzner2022` and MACE :cite:p:`batatia2022`:
#
# - keep features indexed by (λ, σ), each turning with :math:`D^\lambda`;
# - replace the fixed density coefficients by *messages* along each bond,
#   :math:`\phi(r_{ij})\, Y_l(\hat{\mathbf{r}}_{ij})`, whose radial part
#   :math:`\phi` is learned;
# - combine messages and features with Clebsch–Gordan products, one learned
#   weight per path :math:`(l_1, l_2) \to \lambda`. MACE :cite:p:`batatia2022`
#   first sums the messages over the neighbours into an atomic basis, a density
#   as in chapter 4, then multiplies ν copies of it: features of correlation
#   order ν (body order ν + 1), as in the recursion of
#   :ref:`chapter 5.2 <sphx_glr_auto_examples_05_2_lambda_soap.py>`;
# - repeat over layers, so that information travels beyond one cutoff sphere.
#
# What does not change is the rule that keeps them exact: the weights of a
# linear layer are shared over m and never mix channels of different (λ, σ), and
# only true scalars (λ = 0, σ = +1) may go through any nonlinear function. A λ > 0
# channel may be multiplied by a function of true scalars, a *gated nonlinearity*
# :cite:p:`weiler2018`. The check shows why, on the λ = 1 features of the 256
# rotated molecules: an element-wise tanh breaks equivariance, the more so the
# further the features reach into its curved part (ours are small, where tanh is
# nearly linear, so we also scale them up); a gate computed from the norm of
# each channel, a true scalar, keeps it at every scale.

molecule = frames[26]  # in the 256 orientations of chapter 2
rotations = rotation_matrix(*euler_angle_grid())
rotated = rotated_copies(molecule, rotations)
X_original = oxygen_features([molecule], 1, nu=2)[0]  # (3, p), m = -1, 0, 1
X_rotated = oxygen_features(rotated, 1, nu=2)  # (256, 3, p)
YZX = XYZ_TO_SPHERICAL  # the (y, z, x) order of m
D1 = rotations[:, YZX][:, :, YZX]  # D¹(R): R in the order of m


def gate(X):
    """Each λ = 1 channel times a sigmoid of its own norm (a true scalar)."""
    norms = np.linalg.norm(X, axis=-2, keepdims=True)  # over m: invariant
    return X / (1 + np.exp(-norms))


def equivariance_error(layer, scale):
    """Largest |layer(D¹ sX) − D¹ layer(sX)|, relative to the largest output."""
    expected = np.einsum("kmp,pq->kmq", D1, layer(scale * X_original))
    return np.abs(layer(scale * X_rotated) - expected).max() / np.abs(expected).max()


scales = (1, 3, 10)
layers = {"element-wise tanh": np.tanh, "gated by the norms": gate}
errors_layers = {
    name: [equivariance_error(layer, scale) for scale in scales]
    for name, layer in layers.items()
}
print("layer(D¹ sX) − D¹ layer(sX), relative, for s = " + ", ".join(map(str, scales)))
print(
    "  largest |sX|: "
    + ", ".join(f"{s * np.abs(X_original).max():.2f}" for s in scales)
)
for name, values in errors_layers.items():
    print(f"  {name}: " + ", ".join(f"{value:.1e}" for value in values))
tanh_errors = errors_layers["element-wise tanh"]
assert tanh_errors[0] > 1e-3 and np.all(np.diff(tanh_errors) > 0)
assert tanh_errors[-1] > 0.1
assert max(errors_layers["gated by the norms"]) < 1e-12

# %%
# "Invariant" is not enough either: a gate must be a function of *true* scalars.
# A pseudoscalar (λ = 0, σ = −1) does not change under rotations but changes sign
# under the inversion. An odd function of it (tanh) is again a pseudoscalar; an
# even one (:math:`x^2`, :math:`|x|`) is a true scalar, σ = +1, exactly (e3nn's
# ``Activation`` maps ``0o`` to ``0e`` the same way); a function neither even nor
# odd (the logistic sigmoid of a gate) is neither, and a gate computed from it
# breaks parity: near 0 it is :math:`1/2 + x/4`, a true scalar plus a
# pseudoscalar, and misses σ = +1 by as much as the pseudoscalar is large. We
# pass the pair's scalars :math:`X_{:,p} \cdot X_{:,p}` and pseudoscalars
# through each function, under inversions composed with rotations, and read the
# σ of each output from :math:`f(P\cdot A) = \sigma f(A)`.

pair = pairs[:1]
scalars, pseudoscalars = scalar_channels(pair)
flat_pseudoscalars = scalar_channels([molecule])[1]
improper = [transform_frames(pair, -R)[0] for R in random_rotation_matrix(8, seed=4)]
moved_scalars, moved_pseudoscalars = scalar_channels(improper)
functions = {
    "tanh": np.tanh,
    "x²": np.square,
    "|x|": np.abs,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
}
labels, misses = {}, {}
print("σ of f(x), from f(P·A) = σ f(A) for P an inversion times a rotation:")
print(" " * 31 + "".join(f"{name:>9s}" for name in functions))
for kind, before, after in (
    ("scalars (λ = 0, σ = +1)", scalars, moved_scalars),
    ("pseudoscalars (λ = 0, σ = −1)", pseudoscalars, moved_pseudoscalars),
):
    labels[kind] = {}
    for name, f in functions.items():
        off = {
            sign: np.abs(f(after) - sign * f(before)).max() / np.abs(f(before)).max()
            for sign in (1, -1)
        }
        exact = [sign for sign, value in off.items() if value < 1e-12]
        labels[kind][name] = exact[0] if exact else None
        misses[kind, name] = off
    row = ["none" if v is None else f"{v:+d}" for v in labels[kind].values()]
    print(f"{kind:31s}" + "".join(f"{value:>9s}" for value in row))
sigmoid_miss = misses["pseudoscalars (λ = 0, σ = −1)", "sigmoid"]
print(
    f"sigmoid of pseudoscalars, relative miss: σ = +1 by {sigmoid_miss[1]:.1e}, "
    f"σ = −1 by {sigmoid_miss[-1]:.1e}"
)
assert np.abs(flat_pseudoscalars).max() < 1e-12 * np.abs(pseudoscalars).max()
assert labels["scalars (λ = 0, σ = +1)"] == dict.fromkeys(functions, 1)
odd_labels = {"tanh": -1, "x²": 1, "|x|": 1, "sigmoid": None}
assert labels["pseudoscalars (λ = 0, σ = −1)"] == odd_labels
assert min(sigmoid_miss.values()) > 1e-3

# %%
# To go on, e3nn :cite:p:`geiger2022` implements these layers in PyTorch. Mind
# the :ref:`conventions <conventions-spherical>`: its irreps ``1o`` and ``1e``
# carry the parity :math:`p = \sigma(-1)^\lambda`, not σ, and it orders the
# components of λ = 1 as (x, y, z).

# %%
# Key points
# ----------
#
# - ``check_symmetries`` tests any model of an invariant or a polar vector for
#   rotations, inversion and translations, without labels.
# - The inversion of a flat structure is a rotation and a translation of it: check an
#   invariant on structures that are not flat.
# - A network stays exact if any function acts only on true scalars, pseudoscalars go
#   only through odd or even functions, and λ > 0 channels are only multiplied by gates
#   of true scalars.

# %%
# Exercises
# ---------
#
# 1. **An axial vector.** The normal :math:`\mathbf{n} = \mathbf{b}_1\times\mathbf{b}_2`
#    (Å²) of a molecule is a vector "model" with no weights. Predict what
#    :func:`~tutorial_helpers.symmetry_check.check_symmetries` reports for it as a
#    polar vector (the default), and with ``parity=+1``, its sign under inversion
#    (:math:`p = \sigma(-1)^\lambda`; an axial vector has σ = −1, so p = +1). Check.
# 2. **Forces without an energy.** Fit forces directly: the force on each atom
#    as a linear combination of that atom's λ = 1 λ-SOAP features, one set of
#    weights per species, like the dipole model of chapter 6.1. Predict what
#    ``check_symmetries`` reports for it, and whether its forces on a molecule
#    sum to zero (eV/Å); then check both.
# 3. **Two gates.** Gate each λ = 1 channel by a sigmoid of (a) the sum of the
#    squared norms of *all* the channels, or (b) its own ``o3_mu = 0``
#    component. Predict which gate keeps the layer equivariant, then measure
#    both with ``equivariance_error``.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · An axial vector


def normal(frames):
    """b1 × b2 (Å²) of each molecule: O–H1 × O–H2."""
    p = np.array([atoms.positions for atoms in frames])
    return np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])


as_polar = check_symmetries(normal, sample, kind="vector")
as_axial = check_symmetries(normal, sample, kind="vector", parity=1)
print(f"as a polar vector: {as_polar}")
print(f"as an axial vector: {as_axial}")
assert as_axial.passed(1e-12) and not as_polar.passed(1e-3)
assert abs(as_polar.deviations["inversion"] - 2 * as_polar.scale) < 1e-12

# %%
# The inversion flips both bonds and leaves their cross product as it was: the
# normal is axial. Checked as a polar vector, it misses under the inversion by
# twice its largest component, :math:`|\mathbf{n} - (-\mathbf{n})|`, and under
# improper rotations; under rotations and translations it is right either way.
#
# .. solution:: 2 · Forces without an energy

lambda1_keys = Labels(["o3_lambda", "o3_sigma"], np.array([[1, 1]]))


def atom_features(frames):
    """{species: ((system, atom) samples, λ = 1 λ-SOAP features (n, 3, p))}."""
    tensor = lambda_soap_calculator().compute(
        frames, selected_keys=lambda1_keys, neighbors_to_properties=True
    )
    blocks = {}
    for z in (1, 8):
        block = tensor.block({"o3_lambda": 1, "o3_sigma": 1, "center_type": z})
        blocks[z] = (block.samples.values, np.asarray(block.values))
    return blocks


class DirectForceModel:
    """F_i = Σ_q w_{Z_i, q} X^i_{:, q}: forces from each atom's λ = 1 features."""

    def fit(self, frames, forces):
        self.weights = {}
        for z, (samples, X) in atom_features(frames).items():
            target = forces[samples[:, 0], samples[:, 1]][:, YZX]  # (y, z, x)
            rows = X.reshape(-1, X.shape[-1])
            self.weights[z] = ridge_weights(rows, target.reshape(-1), 1e-7)
        return self

    def __call__(self, frames):
        predicted = np.zeros((len(frames), len(frames[0]), 3))  # eV/Å
        for z, (samples, X) in atom_features(frames).items():
            values = (X @ self.weights[z])[:, SPHERICAL_TO_XYZ]
            predicted[samples[:, 0], samples[:, 1]] = values
        return predicted


direct = DirectForceModel().fit([frames[i] for i in train], forces[train])
direct_report = check_symmetries(direct, sample, kind="vector")
net = np.abs(direct([frames[i] for i in test]).sum(axis=1)).max()
print(f"direct forces: {direct_report}")
print(f"largest net force on a test molecule: {net:.3f} eV/Å")
assert direct_report.passed(1e-10) and net > 0.01

# %%
# Equivariant by construction, so the check passes; yet the forces on a molecule do not
# sum to zero: they are not the gradient of a translation-invariant energy, and nothing
# in the model makes them sum to zero. A symmetry check does not test that: for forces,
# check the net force too (and, in a simulation, that the energy is conserved).
#
# .. solution:: 3 · Two gates


def gate_by_all_norms(X):
    """Every channel times a sigmoid of Σ_p |X_p|² (one invariant)."""
    total = np.sum(X**2, axis=(-2, -1), keepdims=True)
    return X / (1 + np.exp(-total))


def gate_by_component(X):
    """Every channel times a sigmoid of its own o3_mu = 0 component."""
    return X / (1 + np.exp(-X[..., 1:2, :]))


gates = {"all norms": gate_by_all_norms, "o3_mu = 0": gate_by_component}
gate_errors = {name: equivariance_error(g, 1) for name, g in gates.items()}
for name, value in gate_errors.items():
    print(f"gated by {name}: relative equivariance error {value:.1e}")
assert gate_errors["all norms"] < 1e-12 and gate_errors["o3_mu = 0"] > 1e-3

# %%
# Gate (a) multiplies by a function of an invariant, which any rotation leaves
# alone, so the channels still turn with :math:`D^1`. Gate (b) looks at one
# component, which changes from one orientation to the next: each channel is
# scaled differently in each orientation, and the layer is no longer
# equivariant.
