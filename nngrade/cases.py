"""Input generators shared by the labs' checks. Each takes a seeded Generator and returns
a list of `Case`, smallest first, so that the input shown in feedback is small."""
from __future__ import annotations

import numpy as np

from nngrade.registry import Case

SHAPES = [(5,), (3, 4), (2, 3, 2)]
EXTREMES = np.array([-1000.0, -700.0, -100.0, -40.0, -20.5, 20.5, 40.0, 100.0, 700.0, 1000.0])


def random_arrays(rng, shapes=SHAPES, scale=3.0, **kwargs) -> list[Case]:
    """Normal(0, scale) arrays of several shapes, nudged off the kink at exactly 0."""
    out = []
    for shape in shapes:
        z = rng.normal(0.0, scale, size=shape)
        z[np.abs(z) < 1e-3] = 0.5
        out.append(Case((z,), dict(kwargs)))
    return out


def points(*values, note="", **kwargs) -> list[Case]:
    return [Case((np.array(values, dtype=np.float64),), dict(kwargs), note)]


def extremes(rng, **kwargs) -> list[Case]:
    z = np.concatenate([EXTREMES, rng.uniform(-1000, 1000, size=6)]).reshape(2, 8)
    return [Case((z,), dict(kwargs), "large positive and negative inputs, up to +-1e3")]
