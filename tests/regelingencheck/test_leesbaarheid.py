"""B1 readability of what a resident reads in the check.

Measure: Flesch-Douma (the Dutch Flesch formula, 206.835 - 0.93 x words per sentence - 77 x
syllables per word; textstat with set_lang("nl")), with two plain checks next to it: the
average sentence length and the share of words of four syllables or more. Thresholds for B1:
Flesch-Douma at least 65 ("redelijk makkelijk" and easier), at most 12 words per sentence on
average, at most 10 % long words. Amounts and numbers count as one short word. Run with -s
to see the figures.
"""

import pytest
from django.test import Client
from django.utils import timezone

from perspectief.regelingen.selectors import catalogus_voor_gemeente
from perspectief.regelingencheck.antwoorden import engine_huishouden
from perspectief.regelingencheck.models import CheckAntwoorden
from rekenregels import bereken
from tests.factories import GemeenteFactory

from .helpers import ALLEENSTAANDE_OUDER, vul_in
from .leesbaarheid import meet, schoon, zichtbare_tekst

MIN_FLESCH_DOUMA = 65
MAX_ZINSLENGTE = 12
MAX_LANGE_WOORDEN = 0.10

HUISHOUDENS = {
    "alleenstaande ouder": ALLEENSTAANDE_OUDER,
    "weet ik niet": {**ALLEENSTAANDE_OUDER, 3: {"aanvrager_soort": "weet_niet", "laag_inkomen": "weet_niet"},
                     4: {"soort": "huur", "kale_huur_weet_niet": "on", "servicekosten_weet_niet": "on"},
                     5: {"weet_niet": "on"}},
    "stel met loon": {1: {"partner": "ja", "kinderen": "0", "volwassenen": "0"},
                      2: {"aanvrager_leeftijd": "52", "partner_leeftijd": "49"},
                      3: {"aanvrager_soort": "loon", "aanvrager_bedrag": "2900", "partner_soort": "uitkering",
                          "partner_bedrag": "900", "laag_inkomen": "korter_dan_1_jaar"},
                      4: {"soort": "koop"}, 5: {"bedrag": "20000"}, 6: {}},
}


def _b1(naam: str, tekst: str) -> None:
    meting = meet(tekst)
    print(f"\n{naam}: {meting}")
    assert meting.woorden >= 20, naam
    assert meting.flesch_douma >= MIN_FLESCH_DOUMA, f"{naam}: {meting}"
    assert meting.gemiddelde_zinslengte <= MAX_ZINSLENGTE, f"{naam}: {meting}"
    assert meting.lange_woorden <= MAX_LANGE_WOORDEN, f"{naam}: {meting}"


@pytest.fixture
def gemeente(db):
    return GemeenteFactory(wijkteam_telefoon="0800 1234567", wijkteam_email="wijkteam@voorbeeld.example")


def test_questionnaire_pages_are_b1(gemeente):
    client = Client()
    _b1("start", zichtbare_tekst(client.get("/check/voorbeeld/").content.decode()))
    vul_in(client)
    for nummer in range(1, 7):
        _b1(f"stap {nummer}", zichtbare_tekst(client.get(f"/check/voorbeeld/stap/{nummer}/").content.decode()))
    _b1("openen", zichtbare_tekst(client.get("/check/voorbeeld/openen/").content.decode())
        + " " + zichtbare_tekst(client.get("/check/voorbeeld/delen/").content.decode()))


@pytest.mark.parametrize("naam", list(HUISHOUDENS))
def test_result_pages_are_b1(gemeente, naam):
    client = Client()
    vul_in(client, HUISHOUDENS[naam])
    _b1(f"uitkomst {naam}", zichtbare_tekst(client.get("/check/voorbeeld/uitkomst/").content.decode()))
    _b1(f"werken {naam}", zichtbare_tekst(client.get("/check/voorbeeld/werken/").content.decode()))


def test_the_engines_b1_sentences_and_our_reasons_are_b1(gemeente):
    """Every sentence the engine wrote for these households (`zin` of each step and test),
    and every reason and next step the result page built from them."""
    zinnen, redenen = set(), set()
    for stappen in HUISHOUDENS.values():
        CheckAntwoorden.objects.all().delete()
        client = Client()
        vul_in(client, stappen)
        client.get("/check/voorbeeld/uitkomst/")
        check = CheckAntwoorden.objects.get()
        vandaag = timezone.localdate()
        resultaat = bereken(engine_huishouden(antwoorden=check.antwoorden, peildatum=vandaag),
                            catalogus=catalogus_voor_gemeente(gemeente=gemeente, peildatum=vandaag))
        for regeling in resultaat["regelingen"]:
            zinnen |= {stap["zin"] for stap in regeling["uitleg"]["stappen"] if stap.get("zin")}
            zinnen |= {toets["zin"] for toets in regeling["uitleg"].get("toetsen", [])}
        for regeling in check.uitkomst["regelingen"]:
            redenen |= set(regeling["reden"]) | {regeling["volgende_stap"]["tekst"]}
    _b1("zinnen van rekenregels", " ".join(schoon(zin) for zin in sorted(zinnen)))
    _b1("redenen en volgende stappen", " ".join(schoon(zin) for zin in sorted(redenen)))
