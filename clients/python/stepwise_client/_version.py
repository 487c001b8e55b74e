"""The one version number of the package (pyproject.toml reads it from here)."""

__version__ = "0.3.0"
