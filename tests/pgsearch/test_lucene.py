"""The query parsers on their own: no database."""
import pytest

from ckanext.bonos.pgsearch import lucene
from ckanext.bonos.pgsearch.lucene import (
    MUST, MUST_NOT, SHOULD, Bool, MatchAll, Range, Term, min_should_match,
    parse_dismax, parse_lucene)


def test_match_all_forms():
    assert parse_lucene("*:*") == MatchAll()
    assert parse_lucene("") == MatchAll()
    assert parse_lucene("*") == MatchAll()


def test_fielded_terms_phrases_prefix_exists():
    assert parse_lucene("tags:agua") == Term("tags", "agua")
    assert parse_lucene('title:"bono vida"') == Term("title", "bono vida", "phrase")
    assert parse_lucene("name:bono-*") == Term("name", "bono-", "prefix")
    assert parse_lucene("name:b?no*") == Term("name", "b?no*", "wildcard")
    assert parse_lucene("notes:*") == Term("notes", "*", "exists")
    assert parse_lucene(r"url:http\:\/\/x") == Term("url", "http://x")


def test_default_operator_and_makes_plain_clauses_required():
    node = parse_lucene("a b", default_and=True)
    assert node == Bool(((MUST, Term(None, "a")), (MUST, Term(None, "b"))))
    node = parse_lucene("a b", default_and=False)
    assert node == Bool(((SHOULD, Term(None, "a")), (SHOULD, Term(None, "b"))))


def test_or_and_not_follow_lucene_rules():
    node = parse_lucene("a OR b", default_and=True)
    assert [o for o, _ in node.clauses] == [SHOULD, SHOULD]
    node = parse_lucene("a AND NOT b", default_and=False)
    assert [o for o, _ in node.clauses] == [MUST, MUST_NOT]
    node = parse_lucene("-state:draft +capacity:public")
    assert [o for o, _ in node.clauses] == [MUST_NOT, MUST]


def test_groups_apply_their_field():
    node = parse_lucene("state:(active OR draft)")
    assert node == Bool(((SHOULD, Term("state", "active")), (SHOULD, Term("state", "draft"))))


def test_ranges_with_open_bounds_and_date_math():
    assert parse_lucene("metadata_modified:[NOW-1YEAR TO *]") == Range(
        "metadata_modified", "NOW-1YEAR", None, True, True)
    assert parse_lucene("num_resources:{1 TO 5]") == Range("num_resources", "1", "5", False, True)


@pytest.mark.parametrize("bad", [
    '"unbalanced', "(a OR b", "a)", "[1 TO", "{!lucene}x", "a AND", "OR a",
    "title:", "a:b:c", "x^", "/regex/", "+", "a \\",
])
def test_malformed_queries_raise_syntax_errors(bad):
    with pytest.raises(lucene.QuerySyntaxError):
        parse_lucene(bad)


def test_dismax_is_forgiving():
    node = parse_dismax('bono "vida mejor" -salud "unbalanced', "2<-1 5<80%")
    kinds = [(o, n.kind) for o, n in node.clauses]
    assert (SHOULD, "phrase") in kinds and (MUST_NOT, "term") in kinds
    assert parse_dismax("AND OR ( ) [", "") == Bool(())
    assert parse_dismax("educ*", "").clauses[0][1] == Term(None, "educ", "prefix")


@pytest.mark.parametrize("n,expected", [(1, 1), (2, 2), (3, 2), (5, 4), (6, 4), (10, 8)])
def test_ckan_minimum_should_match(n, expected):
    assert min_should_match("2<-1 5<80%", n) == expected


def test_invalid_mm_is_a_syntax_error():
    with pytest.raises(lucene.QuerySyntaxError):
        min_should_match("x<y", 3)
