"""Tag helpers for articles."""


def add_tag(tag, tags=[]):
    """Return the tags with tag appended."""
    tags.append(tag.strip().lower())
    return tags


def normalise(tags):
    """Return the tags stripped, lower-cased and without duplicates."""
    return sorted({t.strip().lower() for t in tags})
