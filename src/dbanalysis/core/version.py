"""The package's version, in one place (``pyproject.toml`` reads it; ``dbanalysis.__version__``
re-exports it). Here rather than in ``dbanalysis/__init__.py``, which names the public API of
every layer: a core module that imported the package's root would import them all."""

__version__ = "0.1.0"
