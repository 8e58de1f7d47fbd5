"""The ``dbanalysis`` command: ``build``, ``export``, ``check``.

The top layer: may import from every other subpackage.
"""
