"""Tail probabilities the rules use to tell a real drop from an ordinary quiet day (no scipy needed)."""

from __future__ import annotations

import math


def poisson_at_most(observed: int, expected: float) -> float:
    """P(X <= observed) for X ~ Poisson(expected): how likely a count this low is when `expected` is normal."""
    if expected <= 0:
        return 1.0
    if observed < 0:
        return 0.0
    log_expected = math.log(expected)
    total = 0.0
    for k in range(observed + 1):
        total += math.exp(k * log_expected - expected - math.lgamma(k + 1))
    return min(1.0, total)


def counts_at_most(observed: int, expected: float, spread: float) -> float:
    """P(X <= observed) for a count whose mean is `expected` and that varies `spread` (coefficient of variation)
    beyond Poisson: the negative binomial (gamma-Poisson) model of overdispersed counts such as daily news volume.
    `spread` 0 is the Poisson distribution."""
    if spread <= 0:
        return poisson_at_most(observed, expected)
    if expected <= 0:
        return 1.0
    if observed < 0:
        return 0.0
    size = 1 / spread**2  # the gamma shape r
    log_p, log_q = math.log(size / (size + expected)), math.log(expected / (size + expected))
    total = 0.0
    for k in range(observed + 1):
        total += math.exp(math.lgamma(k + size) - math.lgamma(size) - math.lgamma(k + 1) + size * log_p + k * log_q)
    return min(1.0, total)


def binomial_at_least(count: int, trials: int, share: float) -> float:
    """P(X >= count) for X ~ Binomial(trials, share): how likely this many bad items are when `share` is normal."""
    if count <= 0:
        return 1.0
    if count > trials:
        return 0.0
    if share <= 0:
        return 0.0
    if share >= 1:
        return 1.0
    log_share, log_rest = math.log(share), math.log1p(-share)
    total = 0.0
    for k in range(count, trials + 1):
        log_choose = math.lgamma(trials + 1) - math.lgamma(k + 1) - math.lgamma(trials - k + 1)
        total += math.exp(log_choose + k * log_share + (trials - k) * log_rest)
    return min(1.0, total)


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile of already sorted values; None for no values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]
