"""Configuration loading."""
import json


def load(path):
    """Return the JSON document at path."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)
