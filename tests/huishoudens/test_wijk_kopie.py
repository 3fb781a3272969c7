"""The household keeps a copy of its address's wijk (for the list's wijk filter)."""

import datetime

import pytest

from perspectief.huishoudens.models import Huishouden
from perspectief.huishoudens.selectors import HuishoudenFilter, huishouden_list
from perspectief.huishoudens.services import huishouden_create

from ..factories import GemeenteFactory, WijkFactory


@pytest.mark.django_db
def test_huishouden_create_copies_the_wijk_and_the_filter_uses_it():
    gemeente = GemeenteFactory()
    noord, zuid = WijkFactory(gemeente=gemeente, naam="Noord"), WijkFactory(gemeente=gemeente, naam="Zuid")
    aanvrager = {"voornamen": "Mila", "achternaam": "Smit", "geboortedatum": datetime.date(1990, 4, 2)}
    adres = {"straat": "Lindelaan", "huisnummer": 3, "postcode": "9999AB", "woonplaats": "Voorbeeld"}
    in_noord = huishouden_create(actor=None, gemeente=gemeente, adres={**adres, "wijk": noord}, aanvrager=aanvrager)
    huishouden_create(actor=None, gemeente=gemeente, adres={**adres, "huisnummer": 5, "wijk": zuid}, aanvrager=aanvrager)
    assert in_noord.wijk == noord
    found = huishouden_list(zichtbaar=Huishouden.objects.all(), filter=HuishoudenFilter(wijk_id=noord.pk))
    assert list(found) == [in_noord]
