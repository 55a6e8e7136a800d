"""Latency report."""


def slowest(samples):
    """Return the largest sample, or None when there is none."""
    return max(samples) if samples else None


def mean(samples):
    """Return the mean of the samples."""
    return sum(samples) / len(samples)
