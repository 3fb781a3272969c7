"""The letter: what it says, and that it stays at B1 for every scheme of the catalogue.

Readability measure: the same as the regelingencheck's (tests/regelingencheck/leesbaarheid.py):
Flesch-Douma >= 65, at most 12 words per sentence on average, at most 10 % long words."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from rekenregels import laad_catalogus

from perspectief.proactief.brief import brief_context, brief_html, brief_pdf
from tests.factories import AdresFactory, GebruikerFactory, GemeenteFactory, PersoonFactory
from tests.regelingencheck.leesbaarheid import meet, schoon


def _context(db_objects, definitie, bedrag=Decimal("225.00")):
    gemeente, adres, aanvrager, klantmanager = db_objects
    return brief_context(
        definitie=definitie, code=definitie["code"], bedrag_per_jaar=bedrag, aanvrager=aanvrager, adres=adres,
        gemeente=gemeente, klantmanager=klantmanager, datum=datetime.date(2025, 9, 1),
    )


@pytest.fixture
def db_objects(db):
    gemeente = GemeenteFactory(wijkteam_telefoon="14 0999", wijkteam_email="wijkteam@voorbeeld.example")
    adres = AdresFactory(straat="Lindelaan", huisnummer=12, postcode="9999 AA", woonplaats="Voorbeeld")
    aanvrager = PersoonFactory(voornamen="Fatima", achternaam="el Amrani", bsn="980000002")
    klantmanager = GebruikerFactory(first_name="Kim", last_name="Demir")
    return gemeente, adres, aanvrager, klantmanager


def _tekst(pagina: str) -> str:
    body = re.search(r"<body>(.*)</body>", pagina, re.S).group(1)
    blokken = re.findall(r"<(p|h1|h2)\b[^>]*>(.*?)</\1>", body, flags=re.S)
    return " ".join(schoon(html.unescape(re.sub(r"<[^>]+>", " ", inhoud))) for _, inhoud in blokken)


def test_the_letter_says_what_how_much_what_to_do_and_whom_to_call(db_objects):
    pagina = brief_html(context=_context(db_objects, laad_catalogus("voorbeeld").regeling("voorbeeldpas")))
    tekst = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", pagina)))
    for deel in ("U kunt Voorbeeldpas (stadspas) krijgen", "Beste Fatima el Amrani,", "Wat is het?",
                 "Ongeveer € 225,00 per jaar", "Dat is ongeveer € 18,75 per maand.", "Wat moet u doen?",
                 "Bel of mail ons. Wij helpen u met de aanvraag.", "Bel 14 0999 of mail naar wijkteam@voorbeeld.example",
                 "Lindelaan 12", "9999 AA Voorbeeld", "Kim Demir", "Wilt u zulke brieven niet meer krijgen?"):
        assert deel in tekst, deel
    assert "980000002" not in pagina and "*****" not in pagina


@pytest.mark.parametrize("code", [r["code"] for r in laad_catalogus("voorbeeld").regelingen])
def test_every_letter_is_b1(db_objects, code):
    meting = meet(_tekst(brief_html(context=_context(db_objects, laad_catalogus("voorbeeld").regeling(code)))))
    assert meting.flesch_douma >= 65, f"{code}: {meting}"
    assert meting.gemiddelde_zinslengte <= 12, f"{code}: {meting}"
    assert meting.lange_woorden <= 0.10, f"{code}: {meting}"


@pytest.mark.parametrize("code", [r["code"] for r in laad_catalogus("voorbeeld").regelingen])
def test_the_letter_fits_on_one_a4_page(db_objects, code):
    from weasyprint import HTML

    context = _context(db_objects, laad_catalogus("voorbeeld").regeling(code))
    document = HTML(string=brief_html(context=context)).render()
    assert len(document.pages) == 1
    assert (round(document.pages[0].width), round(document.pages[0].height)) == (794, 1123)  # A4 in CSS pixels
    assert brief_pdf(context=context).startswith(b"%PDF-")
