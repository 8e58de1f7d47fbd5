"""Independent reading of numbers from the catalogue's verbatim quotes (tests only).

The number is found in the quote with a regex and parsed with Babel's Vietnamese
locale, not with dbanalysis.catalogue.numbers/extract, so tests do not reuse the code under test.
"""

import functools
import re
from decimal import Decimal

from babel.numbers import parse_decimal

from dbanalysis.catalogue.figures import read_catalog_csv

NUMBER = re.compile(r"\d[\d.]*(?:,\d+)?")


@functools.cache
def _raw():
    return read_catalog_csv().set_index("figure_id")


def quote_number(figure_id: str, pick: int | None = None) -> float:
    raw = _raw()
    quote = raw.loc[figure_id, "quote"]
    pick = int(raw.loc[figure_id, "pick"]) if pick is None else pick
    token = NUMBER.findall(quote)[pick - 1]
    return float(parse_decimal(token, locale="vi", strict=True))


def as_decimal(figure_id: str) -> Decimal:
    return Decimal(str(quote_number(figure_id)))
