"""Dates and numbers as Solr reads them."""
import datetime as dt

import pytest

from ckanext.bonos.pgsearch.values import InvalidValue, parse_date, parse_number, solr_date

NOW = dt.datetime(2026, 11, 21, 15, 30, 45, 123456)


def test_iso_dates_become_fixed_width_utc():
    assert parse_date("2024-03-01T12:00:00Z") == "2024-03-01T12:00:00.000000Z"
    assert parse_date("2024-03-01") == "2024-03-01T00:00:00.000000Z"
    assert parse_date("2024-03-01T12:00:00-06:00") == "2024-03-01T18:00:00.000000Z"


def test_now_and_date_math():
    # Solr's dates hold milliseconds
    assert parse_date("NOW", NOW) == "2026-11-21T15:30:45.123000Z"
    assert parse_date("NOW/DAY", NOW) == "2026-11-21T00:00:00.000000Z"
    assert parse_date("NOW-1YEAR/MONTH", NOW) == "2025-11-01T00:00:00.000000Z"
    assert parse_date("NOW+2DAYS-3HOURS", NOW) == "2026-11-23T12:30:45.123000Z"
    assert parse_date("2020-01-31T00:00:00Z+1MONTH") == "2020-02-29T00:00:00.000000Z"


def test_stored_dates_read_back_as_solr_writes_them():
    assert solr_date(parse_date("2024-03-01T12:00:00Z")) == "2024-03-01T12:00:00Z"
    assert solr_date(parse_date("2024-03-01T12:00:00.25Z")) == "2024-03-01T12:00:00.250Z"
    assert solr_date(parse_date("2024-03-01T12:00:00.0004Z")) == "2024-03-01T12:00:00Z"


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01", "NOW-1FORTNIGHT", "NOW+", "99999-01-01"])
def test_bad_dates_are_refused(bad):
    with pytest.raises(InvalidValue):
        parse_date(bad, NOW)


def test_numbers():
    assert parse_number("42", integer=True) == 42
    assert parse_number("1.5", integer=False) == 1.5
    for bad in ("x", "1.5", "1e400"):
        with pytest.raises(InvalidValue):
            parse_number(bad, integer=True)
    with pytest.raises(InvalidValue):
        parse_number("nan", integer=False)
