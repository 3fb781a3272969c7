"""'Wat als ik ga werken?': the engine's armoedeval as a server-rendered chart and a table."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from perspectief.regelingen.selectors import catalogus_voor_gemeente
from perspectief.regelingencheck.antwoorden import engine_huishouden
from perspectief.regelingencheck.models import CheckAntwoorden
from rekenregels import armoedeval
from tests.factories import GemeenteFactory

from .helpers import vul_in


@pytest.fixture
def client(db):
    GemeenteFactory()
    client = Client()
    vul_in(client)
    return client


def _engine(uurloon=None):
    check = CheckAntwoorden.objects.get()
    vandaag = timezone.localdate()
    invoer = {"huishouden": engine_huishouden(antwoorden=check.antwoorden, peildatum=vandaag), "persoon": "aanvrager"}
    if uurloon is not None:
        invoer["uurloon"] = uurloon
    return armoedeval(invoer, catalogus=catalogus_voor_gemeente(gemeente=check.gemeente, peildatum=vandaag))


def _euro(bedrag):
    return "€\u00a0" + f"{bedrag:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def test_default_is_the_minimum_wage_and_the_figures_are_the_engines(client):
    html = client.get("/check/voorbeeld/werken/").content.decode()
    verwacht = _engine()
    uurloon = f"{verwacht['uurloon']:.2f}".replace(".", ",")
    assert f'name="uurloon" value="{uurloon}"' in html
    punt16 = next(p for p in verwacht["punten"] if p["uren_per_week"] == 16)
    assert f"Als u 16 uur per week werkt voor {_euro(verwacht['uurloon'])} per uur" in html
    assert f"<strong>{_euro(punt16['besteedbaar_inkomen_per_maand'])} per maand</strong>" in html


def test_chart_is_svg_without_script_or_style_and_has_a_table(client):
    html = client.get("/check/voorbeeld/werken/?uren=24&uurloon=16,50").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "style=" not in svg and "<script" not in svg
    assert 'aria-hidden="true"' in svg
    assert svg.count("<rect") >= 21  # at least one bar per even number of hours 0..40
    # the table: every 4 hours, plus the chosen 24 (already a multiple of 4), with totals
    verwacht = _engine(16.5)
    tabel = re.search(r"<table.*?</table>", html, re.S).group(0)
    rijen = re.findall(r'<th class="utrecht-table__header-cell" scope="row">(\d+)</th>', tabel)
    assert rijen == [str(uren) for uren in range(0, 41, 4)]
    for punt in verwacht["punten"]:
        if int(punt["uren_per_week"]) % 4 == 0:
            assert f"<strong>{_euro(punt['besteedbaar_inkomen_per_maand'])}</strong>" in tabel


def test_each_cliff_is_explained_in_one_sentence(client):
    verwacht = _engine(16.5)
    html = client.get("/check/voorbeeld/werken/?uren=24&uurloon=16,50").content.decode()
    for klif in verwacht["kliffen"]:
        assert f"<li>{klif['zin']}</li>" in html
    assert len(verwacht["kliffen"]) == html.count("gaat u er ")


def test_bad_input_is_explained(client):
    html = client.get("/check/voorbeeld/werken/?uren=50&uurloon=-3").content.decode()
    assert "Vul 40 uur of minder in." in html
    assert "Het uurloon kan niet lager zijn dan 0 euro." in html


def test_this_household_has_a_cliff_to_explain(client):
    # Guards the test above: the known household loses municipal schemes somewhere in 0..40 hours.
    assert len(_engine(16.5)["kliffen"]) >= 1
