"""Dates: absolute, partial and relative, resolved against the article date."""
import pytest

from kg.loaders.dates import find_dates


def values(text, article_date="2023-05-17"):  # a Wednesday
    return [(text[s:e], v.iso) for s, e, v in find_dates(text, article_date)]


@pytest.mark.parametrize("text, expected", [
    ("The accord of 3 March 2019 held.", "2019-03-03"),
    ("It was signed on June 4, 2021.", "2021-06-04"),
    ("It was signed in October 2015.", "2015-10"),
    ("It was signed in the year 2016.", "2016"),
    ("They spoke on Monday.", "2023-05-15"),
    ("They spoke on Wednesday.", "2023-05-17"),
    ("They spoke yesterday.", "2023-05-16"),
    ("The truce began on Jan. 9.", "2023-01-09"),
    ("The truce began on December 9th.", "2022-12-09"),
])
def test_dates_resolve(text, expected):
    assert [v for _, v in values(text)] == [expected]


def test_relative_dates_need_an_article_date():
    assert values("They spoke on Monday.", None) == []
    assert values("They met on March 5th.", None) == []
    assert values("They met on March 5, 2020.", None) == [("March 5, 2020", "2020-03-05")]


def test_numbers_are_not_dates():
    assert values("Some 1,800 people and 2,000 troops; ratio 3:1.") == []
