"""dbanalysis: the Điện Biên district 2015-2020 emulation report as a research package.

The modules import in one direction, stated once in README.md (section "Layers").
"""

__version__ = "0.1.0"
