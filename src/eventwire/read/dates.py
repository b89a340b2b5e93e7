"""Publication dates as given in inputs: ISO dates and datetimes; impossible dates are None."""
from __future__ import annotations

import re
from datetime import date

ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(value) -> date | None:
    """YYYY-MM-DD (optionally followed by a time); 31 February or year 99999 give None."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    m = ISO_DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
