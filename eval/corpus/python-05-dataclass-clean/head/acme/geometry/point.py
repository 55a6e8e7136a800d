"""Points in the plane."""
from dataclasses import dataclass
import math


@dataclass(frozen=True)
class Point:
    """A point with Cartesian coordinates."""

    x: float
    y: float

    def distance(self, other: "Point") -> float:
        """Euclidean distance to other."""
        return math.hypot(self.x - other.x, self.y - other.y)
