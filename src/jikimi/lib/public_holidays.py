"""Korean public holidays (관공서의 공휴일, with substitute and election days), from the `holidays` package.

Kept here, below every app, because two apps need them: the vault ("평일" recording hours exclude
them, R9) and the audit log's monthly review (viewing on a holiday is viewing after hours, R40).
`jikimi.rules` stays pure (stdlib only): callers pass these dates in.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KR", years=year))


def holidays_between(first_year: int, last_year: int) -> frozenset[date]:
    """The public holidays of the years `first_year` … `last_year`, both included."""
    return frozenset().union(*(holidays_of(year) for year in range(first_year, last_year + 1)))
