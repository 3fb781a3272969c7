"""Reasons and next steps built from the engine's explanation (uitkomst.py)."""

from datetime import date

from perspectief.regelingencheck.antwoorden import engine_huishouden
from perspectief.regelingencheck.uitkomst import reden, samenvatting, volgende_stap
from rekenregels import bereken, laad_catalogus

PEILDATUM = date(2026, 11, 23)
ALLEEN_KOOP = {
    "huishouden": {"partner": False, "kinderen": 0, "volwassenen": 0},
    "leeftijden": {"aanvrager": {"geboortedatum": None, "leeftijd": 45}},
    "inkomen": {"aanvrager": {"soort": "loon", "bruto_per_maand": "4500.00"}, "laag_inkomen": "korter_dan_1_jaar"},
    "wonen": {"soort": "koop", "kale_huur": None, "servicekosten": None},
    "vermogen": {"bedrag": "2000.00"},
}


def _uitkomst(antwoorden):
    huishouden = engine_huishouden(antwoorden=antwoorden, peildatum=PEILDATUM)
    resultaat = bereken(huishouden, catalogus=laad_catalogus("GM9999"))
    return huishouden, {r["code"]: r for r in resultaat["regelingen"]}, samenvatting(resultaat, huishouden)


def test_nee_reasons_name_the_condition_in_plain_words():
    huishouden, per_code, _ = _uitkomst(ALLEEN_KOOP)
    assert reden(per_code["kinderbijslag"], huishouden) == ["Deze regeling is voor ouders met kinderen jonger dan 18 jaar."]
    assert reden(per_code["huurtoeslag"], huishouden) == ["Huurtoeslag is alleen voor mensen die een huis huren."]
    zinnen = reden(per_code["individuele_inkomenstoeslag"], huishouden)
    assert zinnen[0].startswith("Uw inkomen is € ") and "Dat is meer dan de grens van € " in zinnen[0]
    assert "Deze regeling is voor wie al 36 maanden of langer een laag inkomen heeft." in zinnen
    assert reden(per_code["zorgtoeslag"], huishouden)[-1] == "Daarom krijgt u hiervan nu niets."


def test_the_summary_orders_ja_misschien_nee_and_adds_up_ja():
    _, per_code, uitkomst = _uitkomst({**ALLEEN_KOOP, "inkomen": {"aanvrager": {"soort": "geen", "bruto_per_maand": None},
                                                                  "laag_inkomen": "3_jaar_of_langer"}})
    rechten = [r["recht"] for r in uitkomst["regelingen"]]
    assert rechten == sorted(rechten, key=["ja", "misschien", "nee"].index)
    ja = [r for r in per_code.values() if r["recht"] == "ja"]
    assert uitkomst["totaal_per_maand"] == round(sum(r["bedrag_per_maand"] for r in ja), 2)
    assert uitkomst["aantal"] == {"ja": len(ja), "misschien": rechten.count("misschien"), "nee": rechten.count("nee")}
    assert all(r["bedrag_per_maand"] is None for r in uitkomst["regelingen"] if r["recht"] != "ja")


def test_next_steps():
    assert volgende_stap({"code": "bijzondere_bijstand", "recht": "misschien", "aanvragen": "Neem de rekening mee."}) == {
        "soort": "wijkteam", "tekst": "Praat met het wijkteam. Samen kijkt u of u dit kunt krijgen.",
        "meenemen": "Neem de rekening mee.", "url": ""}
    assert volgende_stap({"code": "voorbeeldpas", "recht": "ja", "automatisch_toekennen": True})["soort"] == "vanzelf"
    assert volgende_stap({"code": "meedoen", "recht": "ja", "automatisch_toekennen": False})["tekst"] == "Vraag dit aan bij de gemeente."
    assert volgende_stap({"code": "bijstand", "recht": "ja"})["soort"] == "wijkteam"
    assert volgende_stap({"code": "zorgtoeslag", "recht": "ja"})["tekst"] == "Vraag zorgtoeslag aan op toeslagen.nl. U heeft uw DigiD nodig."
