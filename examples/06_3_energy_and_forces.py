"""
6.3 · An invariant energy model, with forces
============================================

The energy does not change when a molecule turns, so we model it on invariant
features: the SOAP power spectrum, the λ = 0 part of λ-SOAP. The forces then come
for free, as minus the gradient of the energy, and they rotate with the molecule
and sum to zero without being told to. At the end of this page you will be able
to fit a linear energy model on energies and forces together with featomic's
gradients and metatensor, and to check what its forces must obey.

.. note::

    Read :ref:`chapter 6.1 <sphx_glr_auto_examples_06_1_dipole_model.py>` first,
    and :ref:`chapter 4.3 <sphx_glr_auto_examples_04_3_density_symmetries.py>` for
    the gradients of the features.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from tutorial_helpers.dataset import load_water_dataset
from tutorial_helpers.figures import figure_size, use_style
from tutorial_helpers.models import (
    EnergyModel,
    chessboard_split,
    energy_features,
    rmse,
)
from tutorial_helpers.rotations import random_rotation_matrix
from tutorial_helpers.symmetry_check import transform_frames

use_style()

frames = load_water_dataset()
energies = np.array([atoms.info["energy"] for atoms in frames])  # eV
forces = np.array([atoms.arrays["forces"] for atoms in frames])  # eV/Å
# half of the grid for training, the other half for testing, like a chessboard
train, test = chessboard_split(len(frames))

# %%
# The model
# ---------
#
# The energy is invariant, so we use invariant features: the SOAP power spectrum
# (the λ = 0 λ-SOAP). As in most machine-learning potentials, the energy is a sum of
# atomic contributions, here linear in each atom's features, with separate weights
# for O and H:
#
# .. math::
#
#     E = \sum_i \mathbf{w}_{Z_i} \cdot \mathbf{p}_i + b,
#     \qquad
#     \mathbf{F}_k = -\frac{\partial E}{\partial \mathbf{r}_k}
#                  = -\sum_i \mathbf{w}_{Z_i} \cdot
#                    \frac{\partial \mathbf{p}_i}{\partial \mathbf{r}_k}.
#
# Summing the atomic features of each species over the atoms of each molecule
# turns this into a linear model on per-molecule features.
# :func:`metatensor.sum_over_samples` does the sum and keeps the ``positions``
# gradients, which give the force rows of the fit;
# :func:`~tutorial_helpers.models.energy_features` returns both as arrays (with
# the hypers :data:`~tutorial_helpers.models.SOAP_HYPERS`).

X_energy, X_gradient = energy_features(frames)
print("per-molecule features:", X_energy.shape, "gradients:", X_gradient.shape)

# %%
# :class:`~tutorial_helpers.models.EnergyModel` stacks one row per energy and one
# per force component, the force rows weighted so that 0.1 eV of energy error
# counts as much as 1 eV/Å of force error, and solves them by ridge regression.
# The forces need no weights of their own.
#
# The chessboard keeps each molecule's mirror partner (the same molecule with r1
# and r2 swapped, so with the same invariant features and energy) on the same side
# of the split. The training and test sets therefore hold fewer *distinct*
# molecules than molecules, and so does each size of the learning curve below: the
# distinct ones are counted in brackets, and their number is the rank of the
# training features.


def distinct(indices):
    """How many different molecules frames[indices] holds, whatever the order of
    their hydrogens: distinct (sorted bond lengths, b1·b2)."""
    bonds = positions[indices, 1:] - positions[indices, :1]  # Å
    lengths = np.sort(np.linalg.norm(bonds, axis=-1), axis=1)
    dot = np.einsum("ni,ni->n", bonds[:, 0], bonds[:, 1])
    return len(np.unique(np.round(np.column_stack([lengths, dot]), 8), axis=0))


positions = np.array([atoms.positions for atoms in frames])  # Å
rng = np.random.default_rng(1)
shuffled = rng.permutation(train)
sizes = [8, 15, 30, len(train)]
unique = [distinct(shuffled[:size]) for size in sizes]
assert unique == [np.linalg.matrix_rank(X_energy[shuffled[:size]]) for size in sizes]
assert unique[-1] < 0.6 * len(train)  # partners: about half are repeats
print(
    f"split: {len(train)} training molecules ({unique[-1]} distinct), "
    f"{len(test)} test molecules ({distinct(test)} distinct)"
)
curve = []
for size, n_unique in zip(sizes, unique, strict=True):
    subset = shuffled[:size]
    energy_model = EnergyModel().fit(
        X_energy[subset], X_gradient[subset], energies[subset], forces[subset]
    )
    e_pred, f_pred = energy_model.predict(X_energy[test], X_gradient[test])
    curve.append(
        (1000 * rmse(e_pred, energies[test]), 1000 * rmse(f_pred, forces[test]))
    )
    print(
        f"{size:3d} ({n_unique:2d}) training molecules: test RMSE "
        f"{curve[-1][0]:5.1f} meV, forces {curve[-1][1]:5.1f} meV/Å"
    )
assert curve[-1][0] < curve[0][0] and curve[-1][1] < curve[0][1]

fig, ax = plt.subplots(figsize=figure_size(4.2))
ax.loglog(sizes, [c[0] for c in curve], "o-", label="energy / meV")
ax.loglog(sizes, [c[1] for c in curve], "s-", label="forces / meV/Å")
ax.set(
    xlabel="training molecules (distinct ones)",
    ylabel="test RMSE / meV or meV/Å",
    title="Learning curve of the energy model",
)
ax.set_xticks(sizes, labels=[f"{n}\n({k})" for n, k in zip(sizes, unique, strict=True)])
ax.set_yticks([1, 10, 100], labels=["1", "10", "100"])
ax.minorticks_off()
ax.legend()
plt.show()

# %%
# With all the training molecules, the predictions for the test molecules:

e_pred, f_pred = energy_model.predict(X_energy[test], X_gradient[test])
fig, axes = plt.subplots(1, 2, figsize=figure_size(3.6))
axes[0].scatter(energies[test], e_pred, s=12)
axes[0].plot([0, energies.max()], [0, energies.max()], color="0.5", linewidth=1)
axes[0].set(
    xlabel="PS energy / eV",
    ylabel="predicted / eV",
    title=f"energies, RMSE {curve[-1][0]:.1f} meV",
)
axes[1].scatter(forces[test].ravel(), f_pred.ravel(), s=6)
limit = np.abs(forces).max()
axes[1].plot([-limit, limit], [-limit, limit], color="0.5", linewidth=1)
axes[1].set(
    xlabel="PS force component / eV/Å",
    ylabel="predicted / eV/Å",
    title=f"forces, RMSE {curve[-1][1]:.1f} meV/Å",
)
for ax in axes:
    ax.set_aspect("equal")
plt.show()

# %%
# Forces that rotate and sum to zero
# ----------------------------------
#
# The forces come from invariant features, yet they rotate with the molecule: the
# gradient of an invariant is equivariant. And since the energy does not change
# when the molecule moves as a whole, they sum to zero. Both checks would pass
# with the forces' sign flipped, so a third one fixes the sign: the forces are
# minus the gradient of the model's energy, by central differences (each atom
# moved by ±h along x, y and z).

test_frames = [frames[i] for i in test[::5]]
f_original = energy_model.forces(test_frames)
largest_rotation = 0.0
for R in random_rotation_matrix(5, seed=3):
    f_rotated = energy_model.forces(transform_frames(test_frames, R))
    largest_rotation = max(largest_rotation, np.abs(f_rotated - f_original @ R.T).max())
net_force = np.abs(f_original.sum(axis=1)).max()
assert largest_rotation < 1e-8 and net_force < 1e-8
print(f"predicted F(R·A) − R·F(A): largest deviation {largest_rotation:.1e} eV/Å")
print(f"largest net predicted force on a molecule: {net_force:.1e} eV/Å")


def energy_differences(molecule, h):
    """−(E(r + h) − E(r − h)) / 2h of the model for each atom and axis, eV/Å."""
    differences = np.zeros((len(molecule), 3))
    for atom in range(len(molecule)):
        for axis in range(3):
            plus, minus = molecule.copy(), molecule.copy()
            plus.positions[atom, axis] += h
            minus.positions[atom, axis] -= h
            dE = energy_model.energy([plus])[0] - energy_model.energy([minus])[0]
            differences[atom, axis] = -dE / (2 * h)
    return differences


molecule = frames[test[7]]
model_forces = energy_model.forces([molecule])[0]
mismatch = np.abs(energy_differences(molecule, 1e-4) - model_forces).max()
assert mismatch < 1e-5 * np.abs(model_forces).max()
print(f"F + ∇E by central differences (h = 10⁻⁴ Å): largest {mismatch:.1e} eV/Å")

# %%
# Key points
# ----------
#
# - An energy that is a sum of atomic terms on invariant features gives forces, F = −∇E,
#   that turn with the molecule and sum to zero.
# - Both of those checks pass with the forces' sign flipped: check F = −∇E by finite
#   differences.
# - Count the distinct molecules of a split: mirror partners on one side count once.

# %%
# Exercises
# ---------
#
# 1. **The step of the differences.** The sign check above used h = 10⁻⁴ Å.
#    Predict how the mismatch between the model's forces and the central
#    differences of its energy changes from h = 10⁻² Å to 10⁻³ Å and 10⁻⁴ Å;
#    then measure it with ``energy_differences`` (eV/Å).
# 2. **What the forces teach.** Fit the model on the 61 training energies
#    alone (``force_weight=0``). Before you measure, guess which of its two
#    test errors suffers, energies or forces, and by how much; then measure.
# 3. **Swap the hydrogens.** List the atoms of a molecule as O, H2, H1 instead
#    of O, H1, H2. Predict the model's energy and forces for it from those of
#    the molecule, then check.
#
# Solutions
# ---------
#
# Try each exercise before you open its solution.
#
# .. solution:: 1 · The step of the differences

steps = np.array([1e-2, 1e-3, 1e-4])  # Å
mismatches = np.array(
    [np.abs(energy_differences(molecule, h) - model_forces).max() for h in steps]
)
slopes = np.diff(np.log10(mismatches)) / np.diff(np.log10(steps))
pairs = zip(steps, mismatches, strict=True)
print(", ".join(f"h = {h:g} Å: {m:.1e} eV/Å" for h, m in pairs))
print(
    "slopes of log(mismatch) against log(h): " + ", ".join(f"{k:.2f}" for k in slopes)
)
assert np.all(np.abs(slopes - 2) < 0.1)

# %%
# A hundred times smaller for every tenfold smaller step: the error of central
# differences, :math:`h^2 f^{(3)}/6`. Nothing else is left, so the forces are the
# exact gradient of the model's energy, which is what makes them conserve energy
# in a simulation. (Far below 10⁻⁴ Å, the rounding of the energies, divided by h,
# takes over.)
#
# .. solution:: 2 · What the forces teach

energy_only = EnergyModel(force_weight=0.0).fit(
    X_energy[train], X_gradient[train], energies[train], forces[train]
)
e_only, f_only = energy_only.predict(X_energy[test], X_gradient[test])
e_error = 1000 * rmse(e_only, energies[test])  # meV
f_error = 1000 * rmse(f_only, forces[test])  # meV/Å
rank = np.linalg.matrix_rank(X_energy[train])
print(f"training energies × features: {X_energy[train].shape}, rank {rank}")
print(f"energies alone: test RMSE {e_error:.2f} meV, forces {f_error:.0f} meV/Å")
print(
    f"with forces:    test RMSE {curve[-1][0]:.2f} meV, forces {curve[-1][1]:.1f} meV/Å"
)
ratio = f_error / curve[-1][1]
print(f"the forces' error is {ratio:.0f} × larger without force rows")
assert e_error < 2 * curve[-1][0] and round(np.log10(ratio)) == 3
assert X_energy[train].shape == (61, 1080) and rank == 33  # fewer than weights

# %%
# The energies stay good; the forces are about a thousand times worse. With 1080
# features and 61 energies, of only 33 distinct molecules (mirror partners share
# their features), many weight vectors fit the energies at the training
# molecules; they differ in how the energy slopes between and around them. Each
# molecule's nine force components pin down those slopes.
#
# .. solution:: 3 · Swap the hydrogens

swapped = molecule[[0, 2, 1]]  # O, H2, H1
energy_change = abs(
    energy_model.energy([swapped])[0] - energy_model.energy([molecule])[0]
)
force_change = np.abs(energy_model.forces([swapped])[0] - model_forces[[0, 2, 1]]).max()
print(f"energy changes by {energy_change:.1e} eV")
print(f"forces, re-ordered, by {force_change:.1e} eV/Å")
assert energy_change < 1e-12 and force_change < 1e-12

# %%
# The same energy, and the same forces with the hydrogens' rows swapped: the
# energy is a sum over atoms of contributions that depend on each atom's species
# and neighbours, not on where it comes in the list.
