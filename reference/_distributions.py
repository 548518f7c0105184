"""Distributions: what a random initialiser must draw from, and the test of a draw.

A spec is `{"family", "shape", "mean", "std", "low", "high"}` (uniform, normal or truncated
normal), read by the oracles (`reference/training.py`) off each framework's own definition.
`distribution_problem` is the statistical test the checks apply to a student's draw (shape and
dtype, range, moments against their sampling error, Kolmogorov-Smirnov at p < 1e-6);
`spec_difference` compares two specs (PyTorch's and Keras's).
"""
from __future__ import annotations

import math

import numpy as np


Z_CRIT = 5.3            # two-sided normal tail 1.2e-7 per statistic
KS_ALPHA = 1e-6         # Kolmogorov-Smirnov p-value below which a draw is rejected
RANGE_T = 15.0          # P(max of n uniforms misses the top by more than t*width/n) = e^-t
MIN_N_FOR_MOMENTS = 2000


def uniform_spec(shape, low, high) -> dict:
    return {"family": "uniform", "shape": tuple(int(s) for s in shape), "low": float(low),
            "high": float(high), "mean": (low + high) / 2.0, "std": (high - low) / math.sqrt(12.0)}


def normal_spec(shape, std, mean=0.0) -> dict:
    return {"family": "normal", "shape": tuple(int(s) for s in shape), "low": -math.inf,
            "high": math.inf, "mean": float(mean), "std": float(std)}


def truncated_normal_spec(shape, scale_std, k=2.0) -> dict:
    """A normal N(0, scale_std^2) cut at +-k scale_std (Keras's `truncated_normal`)."""
    from scipy import stats
    dist = stats.truncnorm(-k, k, scale=scale_std)
    return {"family": "truncated_normal", "shape": tuple(int(s) for s in shape), "low": -k * scale_std,
            "high": k * scale_std, "mean": 0.0, "std": float(dist.std()), "scale_std": float(scale_std),
            "k": float(k)}


def _scipy_dist(spec):
    from scipy import stats
    if spec["family"] == "uniform":
        return stats.uniform(loc=spec["low"], scale=spec["high"] - spec["low"])
    if spec["family"] == "normal":
        return stats.norm(loc=spec["mean"], scale=spec["std"])
    k = spec["k"]
    return stats.truncnorm(-k, k, scale=spec["scale_std"])


def _cdf(spec):
    """The CDF as a vectorised function (scipy's truncnorm.cdf is 100x slower than this)."""
    from scipy.special import ndtr
    if spec["family"] == "uniform":
        lo, hi = spec["low"], spec["high"]
        return lambda x: np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    if spec["family"] == "normal":
        return lambda x: ndtr((x - spec["mean"]) / spec["std"])
    s, k = spec["scale_std"], spec["k"]
    lo, mass = ndtr(-k), ndtr(k) - ndtr(-k)
    return lambda x: np.clip((ndtr(x / s) - lo) / mass, 0.0, 1.0)


def _fourth_central_moment(spec, dist) -> float:
    if spec["family"] == "uniform":
        return (spec["high"] - spec["low"]) ** 4 / 80.0
    if spec["family"] == "normal":
        return 3.0 * spec["std"] ** 4
    return float(dist.moment(4))          # truncated normal, centred at 0


def describe_spec(spec) -> str:
    if spec["family"] == "uniform":
        return f"U({spec['low']:.6g}, {spec['high']:.6g})"
    if spec["family"] == "normal":
        return f"N({spec['mean']:.6g}, {spec['std']:.6g}^2)"
    return f"N(0, {spec['scale_std']:.6g}^2) truncated to [{spec['low']:.6g}, {spec['high']:.6g}]"


def distribution_problem(x, spec, structure_only=False) -> str | None:
    """Why the array `x` is not a draw from `spec` (None: it is consistent with it).

    Each statistic is tested at a level of 1e-7 to 1e-6 (5.3 standard errors: 1.2e-7; the
    range test: 2 e^-15 = 6e-7; the KS test: 1e-6), so a correct draw fails with a probability
    of about 2e-6, and the lab's 7 distribution cases about once in 10^5 gradings. On a draw of
    n = 10^5 values the variance test alone rejects a standard deviation off by 1.2 % (normal)
    or 0.75 % (uniform) at its threshold, and one off by 2 % with a margin of at least 3.7
    standard errors; a shifted mean, the wrong family (KS) or wrong bounds fail too. Below
    MIN_N_FOR_MOMENTS values only the shape, dtype and support are tested.
    """
    if not isinstance(x, np.ndarray):
        return f"the result should be a numpy.ndarray, got a {type(x).__name__}"
    if x.shape != tuple(spec["shape"]):
        hint = " (the transpose: the shape is (fan_in, fan_out))" if x.shape == tuple(spec["shape"])[::-1] else ""
        return f"the result has shape {x.shape}, expected {tuple(spec['shape'])}{hint}"
    if x.dtype != np.float64:
        return f"the result has dtype {x.dtype}, expected float64"
    if structure_only:
        return None
    if not np.all(np.isfinite(x)):
        return "the draw contains NaN or inf"
    v = x.ravel()
    n = v.size
    what = describe_spec(spec)
    lo, hi = spec["low"], spec["high"]
    if np.isfinite(lo) and (v.min() < lo or v.max() > hi):
        bad = int(np.sum((v < lo) | (v > hi)))
        return (f"{bad} of {n} values lie outside [{lo:.6g}, {hi:.6g}], the support of {what} "
                f"(your values range over [{v.min():.6g}, {v.max():.6g}])")
    if n < MIN_N_FOR_MOMENTS:
        return None
    mu, sd = spec["mean"], spec["std"]
    mean = float(v.mean())
    se_mean = sd / math.sqrt(n)
    if abs(mean - mu) > Z_CRIT * se_mean:
        return (f"the mean of your {n} values is {mean:.6g}; a draw from {what} has mean {mu:.6g} "
                f"+- {Z_CRIT * se_mean:.2g} ({Z_CRIT} standard errors): is the distribution centred?")
    var = float(np.var(v))
    dist = _scipy_dist(spec)
    mu4 = _fourth_central_moment(spec, dist)
    se_var = math.sqrt(max(mu4 - sd ** 4, 0.0) / n)
    if abs(var - sd ** 2) > Z_CRIT * se_var:
        ratio = var / sd ** 2
        known = named_mistake(x, spec)
        return (f"the variance of your {n} values is {var:.6g}; a draw from {what} has variance "
                f"{sd ** 2:.6g} +- {Z_CRIT * se_var:.2g} ({Z_CRIT} standard errors); yours is "
                f"{ratio:.4g} times that: " + (known or "check the scale (which fan, a square root, a factor 2 or 3?)"))
    if np.isfinite(lo) and spec["family"] == "uniform":
        slack = RANGE_T * (hi - lo) / n
        if v.max() < hi - slack or v.min() > lo + slack:
            return (f"your {n} values range over [{v.min():.6g}, {v.max():.6g}]; a draw from {what} "
                    f"reaches within {slack:.2g} of both ends (failing that has probability below 1e-6): "
                    "is the bound a little too small?")
    from scipy import stats
    ks = stats.kstest(v, _cdf(spec))
    if ks.pvalue < KS_ALPHA:
        return (f"your values do not follow {what}: Kolmogorov-Smirnov distance {ks.statistic:.3g}, "
                f"p-value {ks.pvalue:.2g} (< {KS_ALPHA:g}); "
                + (named_mistake(x, spec) or "is it the right family (uniform vs normal, truncated or not)?"))
    return None


KERAS_TRUNCATION = 0.87962566103423978   # Keras divides the std by it before truncating at 2 std


def named_mistake(x, spec) -> str | None:
    """The known mistake a draw that failed `spec` is a draw of (each tested as `spec` is), or None:
    a normal truncated at 2 standard deviations (with or without Keras's correction of the std),
    or the variance passed where the standard deviation is asked for."""
    if spec["family"] != "normal":
        return None
    sd, shape = spec["std"], spec["shape"]
    truncated = ("this is a truncated normal, every value within 2 standard deviations (as Keras's "
                 "TruncatedNormal and HeNormal draw): the contract's draw is the untruncated "
                 f"N({spec['mean']:g}, {sd:.6g}^2), rng.normal(0, {sd:.6g}, size)")
    candidates = [(truncated, truncated_normal_spec(shape, sd)),
                  (truncated, truncated_normal_spec(shape, sd / KERAS_TRUNCATION))]
    if abs(sd - 1.0) > 0.05:
        candidates.append((f"your standard deviation is the variance {sd ** 2:.6g}: rng.normal takes the standard "
                           f"deviation, sqrt({sd ** 2:.6g}) = {sd:.6g}", normal_spec(shape, sd ** 2, spec["mean"])))
    for message, alternative in candidates:
        if distribution_problem(x, alternative) is None:
            return message
    return None


def spec_difference(a, b) -> str | None:
    """Two specs (say, PyTorch's and Keras's) describe the same distribution?"""
    if a["family"] != b["family"] or tuple(a["shape"]) != tuple(b["shape"]):
        return f"{describe_spec(a)} of shape {a['shape']} vs {describe_spec(b)} of shape {b['shape']}"
    for key in ("low", "high", "mean", "std"):
        x, y = a[key], b[key]
        if not (x == y or abs(x - y) <= 1e-12 + 1e-9 * abs(y)):
            return f"{key}: {x!r} vs {y!r}"
    return None
