"""jikimi (지킴이): runs a public institution's CCTV the way PIPA and its published policy say it must."""

__version__ = "0.1.0"
