"""The engine: entities, ages, aggregation, trace, and one household equals the same household in a batch."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from rekenregels import VARIABELEN, Populatie, Simulatie, bereken, lees_huishouden, screen
from rekenregels.regels.personen import leeftijd_op

from .conftest import huishouden


@pytest.mark.parametrize(
    "geboren, datum, leeftijd",
    [
        ("2000-03-01", dt.date(2025, 3, 1), 25),  # birthday on the date counts
        ("2000-03-02", dt.date(2025, 3, 1), 24),
        ("2004-02-29", dt.date(2025, 2, 28), 20),  # leap-day birthday: not yet 21 on 28 February
        ("2004-02-29", dt.date(2025, 3, 1), 21),
        ("2025-03-01", dt.date(2025, 3, 1), 0),
    ],
)
def test_leeftijd(geboren, datum, leeftijd):
    assert leeftijd_op(np.array([geboren], dtype="datetime64[D]"), datum)[0] == leeftijd


def test_populatie_zonder_aanvrager_wordt_geweigerd():
    with pytest.raises(ValueError, match="precies één aanvrager"):
        Populatie.uit_kolommen(
            huishouden=[0, 0],
            rol=[1, 2],
            geboortedatum=np.array(["1990-01-01", "2010-01-01"], dtype="datetime64[D]"),
        )


def test_populatie_met_twee_partners_wordt_geweigerd():
    with pytest.raises(ValueError, match="hoogstens één partner"):
        Populatie.uit_kolommen(
            huishouden=[0, 0, 0],
            rol=[0, 1, 1],
            geboortedatum=np.array(["1990-01-01"] * 3, dtype="datetime64[D]"),
        )


def test_ongesorteerde_persoonstabel_wordt_per_huishouden_gegroepeerd():
    populatie = Populatie.uit_kolommen(
        huishouden=[1, 0, 1, 0],
        rol=[0, 0, 2, 1],
        geboortedatum=np.array(
            ["1980-01-01", "1990-01-01", "2015-01-01", "1991-01-01"], dtype="datetime64[D]"
        ),
        loon_per_jaar=[10000, 20000, 0, 5000],
        vermogen=[0, 0, 0, 0],
        woningsoort=[2, 2],
    )
    s = Simulatie(populatie, dt.date(2025, 3, 1))
    assert s("aantal_kinderen").tolist() == [0, 1]
    assert s("heeft_partner").tolist() == [True, False]
    assert s.som(s("loon_per_jaar")).tolist() == [25000, 10000]


def test_onbekende_variabele():
    invoer = lees_huishouden(huishouden())
    with pytest.raises(KeyError, match="onbekende variabele"):
        Simulatie(invoer.populatie, invoer.peildatum)("bestaat_niet")


def test_elke_variabele_heeft_label_eenheid_en_geldige_periode():
    assert len(VARIABELEN) > 60
    for naam, definitie in VARIABELEN.items():
        assert definitie.label and definitie.eenheid, naam
        assert definitie.periode in ("moment", "maand", "kwartaal", "jaar"), naam


def test_spoor_legt_afhankelijkheden_en_parameters_vast():
    invoer = lees_huishouden(huishouden())
    s = Simulatie(invoer.populatie, invoer.peildatum, uitleg=True)
    s("zorgtoeslag_per_jaar")
    assert "zorgtoeslag_normpremie" in s.stappen["zorgtoeslag_per_jaar"].variabelen
    assert "zorgtoeslag.standaardpremie" in s.stappen["zorgtoeslag_per_jaar"].parameters
    assert "toetsingsinkomen_toeslagpartners" in s.stappen["zorgtoeslag_normpremie"].variabelen


def _huishoudens():
    return [
        huishouden(),
        huishouden(**{"personen[0].inkomsten": [{"soort": "loon", "bruto_per_maand": 1800}]}),
        huishouden(
            personen=[
                {
                    "id": "a",
                    "rol": "aanvrager",
                    "geboortedatum": "1985-01-01",
                    "inkomsten": [{"soort": "uitkering", "bruto_per_maand": 1500}],
                    "vermogen": 1000,
                },
                {
                    "id": "b",
                    "rol": "partner",
                    "geboortedatum": "1987-01-01",
                    "inkomsten": [{"soort": "loon", "bruto_per_jaar": 9000}],
                    "vermogen": 0,
                },
                {"id": "k", "rol": "kind", "geboortedatum": "2012-01-01"},
                {"id": "l", "rol": "kind", "geboortedatum": "2020-01-01"},
            ]
        ),
        huishouden(
            personen=[
                {
                    "id": "a",
                    "rol": "aanvrager",
                    "geboortedatum": "1955-01-01",
                    "inkomsten": [{"soort": "uitkering", "bruto_per_jaar": 16000}],
                    "vermogen": 5000,
                },
                {
                    "id": "m",
                    "rol": "medebewoner",
                    "geboortedatum": "1990-01-01",
                    "inkomsten": [{"soort": "loon", "bruto_per_jaar": 30000}],
                },
            ]
        ),
        huishouden(
            **{"personen[0].geboortedatum": "2006-01-01", "woning.kale_huur_per_maand": 450}
        ),
    ]


def test_een_huishouden_geeft_hetzelfde_als_in_een_grote_batch():
    invoer = [lees_huishouden(data) for data in _huishoudens()]
    populatie = Populatie.samenvoegen([i.populatie for i in invoer] * 40)
    screening = screen(populatie, dt.date(2025, 3, 1))
    for index, data in enumerate(_huishoudens()):
        resultaat = bereken(data)
        for regeling in resultaat["regelingen"]:
            uitkomst = screening.regelingen[regeling["code"]]
            for kopie in range(index, populatie.aantal_huishoudens, len(invoer)):
                assert uitkomst.bedrag_per_jaar[kopie] == pytest.approx(
                    regeling["bedrag_per_jaar"] or 0.0, abs=0.001
                )
        besteedbaar = screening.variabele("besteedbaar_inkomen_per_maand")[index]
        assert besteedbaar == pytest.approx(
            resultaat["inkomen"]["besteedbaar_inkomen_per_maand"], abs=0.001
        )


def test_deel_van_een_populatie():
    invoer = [lees_huishouden(data) for data in _huishoudens()]
    populatie = Populatie.samenvoegen([i.populatie for i in invoer])
    deel = populatie.deel(np.array([2]))
    assert deel.aantal_huishoudens == 1 and deel.aantal_personen == 4


def test_bruto_bijstand_voor_toeslagen_geeft_na_belasting_de_netto_bijstand():
    invoer = lees_huishouden(huishouden())
    s = Simulatie(invoer.populatie, invoer.peildatum)
    netto_per_jaar = s("bijstand_per_maand")[0] * 12
    bruto = s("bruto_bijstand_per_jaar")[0]
    from rekenregels.regels.belasting import inkomstenbelasting

    belasting = inkomstenbelasting(
        s, np.array([bruto]), np.array([0.0]), np.array([False]), np.array([False])
    )
    assert bruto - belasting["inkomstenbelasting"][0] == pytest.approx(netto_per_jaar, abs=1.0)
    assert bruto > netto_per_jaar


def test_inkomstenvrijlating_alleen_als_optie_vanaf_27_en_met_maximum():
    def bijstand(leeftijd_geboren: str, loon: float, vrijlating: bool) -> float:
        data = huishouden(
            **{
                "personen[0].geboortedatum": leeftijd_geboren,
                "personen[0].inkomsten": [{"soort": "loon", "bruto_per_maand": loon}],
            },
            opties={"inkomstenvrijlating": vrijlating},
        )
        return next(r for r in bereken(data)["regelingen"] if r["code"] == "bijstand")[
            "bedrag_per_maand"
        ]

    zonder = bijstand("1990-01-01", 600, False)
    met = bijstand("1990-01-01", 600, True)
    invoer = lees_huishouden(
        huishouden(**{"personen[0].inkomsten": [{"soort": "loon", "bruto_per_maand": 600}]})
    )
    netto = Simulatie(invoer.populatie, invoer.peildatum)("bijstand_netto_inkomen_per_maand")[0]
    assert met - zonder == pytest.approx(round(0.25 * netto, 2), abs=0.011)
    # the maximum applies to higher earnings
    assert bijstand("1990-01-01", 1200, True) - bijstand(
        "1990-01-01", 1200, False
    ) == pytest.approx(264.0, abs=0.011)
    # younger than 27: no vrijlating
    assert bijstand("2000-01-01", 600, True) == bijstand("2000-01-01", 600, False)
