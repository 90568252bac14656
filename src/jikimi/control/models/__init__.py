"""The control centre's records, one module per duty."""

from jikimi.control.models.wall import LiveViewing, WallLayout

__all__ = ["LiveViewing", "WallLayout"]
