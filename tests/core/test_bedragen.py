"""core.bedragen: the one writer of euro amounts. The expected strings are the outputs of the
helpers it replaced (huishoudboekje.matching.euro, huishoudboekje.grafiek.euro_kort,
proactief.brief.euro, regelingencheck.uitkomst.euro, regelingencheck.grafiek._euro_kort),
taken from those functions before the merge."""

from decimal import Decimal

import pytest

from perspectief.core.bedragen import NBSP, euro, euro_kort
from perspectief.regelingencheck.templatetags.regelingencheck import euro as euro_filter
from perspectief.regelingencheck.uitkomst import euro as uitkomst_euro


@pytest.mark.parametrize(("bedrag", "tekst"), [
    (Decimal("0"), "€ 0,00"),
    (Decimal("5"), "€ 5,00"),
    (Decimal("999.99"), "€ 999,99"),
    (Decimal("1000"), "€ 1.000,00"),
    (Decimal("1234.5"), "€ 1.234,50"),
    (Decimal("12345678.9"), "€ 12.345.678,90"),
    (1234, "€ 1.234,00"),
    (1234.56, "€ 1.234,56"),
])
def test_euro_has_a_thousands_dot_and_a_decimal_comma(bedrag, tekst):
    assert euro(bedrag) == tekst


def test_euro_negative_amounts_keep_the_sign_after_the_euro_sign():
    assert euro(Decimal("-1234.56")) == "€ -1.234,56"
    assert euro(-1000000.0) == "€ -1.000.000,00"


def test_euro_space_is_a_choice_and_html_gets_a_non_breaking_one():
    assert euro(Decimal("1.5"), spatie=NBSP) == "€\u00a01,50"
    assert euro(Decimal("1.5")) == "€ 1,50"


@pytest.mark.parametrize(("bedrag", "tekst"), [
    # Half to even, not half up (half up would give 0,13 / 2,68 / 1.234,57).
    (Decimal("0.125"), "€ 0,12"),
    (Decimal("0.135"), "€ 0,14"),
    (Decimal("2.665"), "€ 2,66"),
    (Decimal("1234.565"), "€ 1.234,56"),
    (Decimal("999.995"), "€ 1.000,00"),
    # A float is rounded on its binary value: 2.675 is stored as 2.67499999...
    (2.675, "€ 2,67"),
    (Decimal("2.675"), "€ 2,68"),
])
def test_euro_rounds_half_to_even_like_the_old_helpers(bedrag, tekst):
    assert euro(bedrag) == tekst


@pytest.mark.parametrize(("bedrag", "tekst"), [
    (Decimal("1234.56"), "€ 1.235"),  # tests/huishoudboekje/test_views_huishoudens.py
    (Decimal("1234.5"), "€ 1.234"),  # half to even
    (Decimal("1235.5"), "€ 1.236"),
    (Decimal("0.4"), "€ 0"),
    (Decimal("-0.4"), "€ 0"),  # no '-0' on a chart
    (Decimal("-1234.56"), "€ -1.235"),
    (2500, "€ 2.500"),  # the regelingencheck chart's grid lines are ints
    (1000000, "€ 1.000.000"),
    (2.5, "€ 2"),
])
def test_euro_kort_gives_whole_euros_for_charts(bedrag, tekst):
    assert euro_kort(bedrag) == tekst


@pytest.mark.parametrize("fout", [None, "12,50", True])
def test_no_amount_is_refused_clearly(fout):
    with pytest.raises(TypeError, match="Not an amount"):
        euro(fout)
    with pytest.raises(TypeError, match="Not an amount"):
        euro_kort(fout)


def test_regelingencheck_keeps_float_rounding_and_its_own_empty_text():
    # The check rounds as a float (its amounts come from the engine as floats), so a Decimal
    # with a tie in the third decimal comes out as before the merge: 2,67, not 2,68.
    assert uitkomst_euro(Decimal("2.675")) == "€ 2,67"
    assert uitkomst_euro("650.50") == "€ 650,50"  # stored answers are text
    assert euro_filter(Decimal("1234.5")) == "€\u00a01.234,50"
    assert euro_filter(None) == "–"
    assert euro_filter("") == "–"
