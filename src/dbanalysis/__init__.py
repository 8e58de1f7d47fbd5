"""dbanalysis: the Điện Biên district 2015-2020 emulation report as a research package.

Import direction (one way only):
numbers -> unitlex -> extract -> source -> vocab -> catalog -> derive/corrections/audit
-> plotting -> site/cli
"""

__version__ = "0.1.0"
