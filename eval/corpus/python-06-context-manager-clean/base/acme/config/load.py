"""Configuration loading."""
import json


def load(path):
    f = open(path)
    data = json.load(f)
    f.close()
    return data
