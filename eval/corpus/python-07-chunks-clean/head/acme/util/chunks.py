"""Sequence helpers."""


def chunks(items, size):
    """Yield successive lists of at most size items."""
    if size < 1:
        raise ValueError(f"size must be at least 1, was {size}")
    for start in range(0, len(items), size):
        yield items[start:start + size]
