"""Property-based tests (hypothesis): invariants that must hold for any household."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rekenregels import Populatie, Simulatie, bereken, lees_huishouden, screen

PEILDATA = st.sampled_from([dt.date(2025, 3, 1), dt.date(2025, 9, 1), dt.date(2026, 3, 1)])
INSTELLINGEN = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _reeks(
    peildatum: dt.date,
    inkomens: np.ndarray,
    *,
    partner: bool,
    kinderen: int,
    huur: float,
    leeftijd: int = 35,
) -> Simulatie:
    """The same household once per income (toetsingsinkomen of the aanvrager)."""
    per_huishouden = 1 + int(partner) + kinderen
    n = inkomens.size
    rol = np.tile([0] + [1] * int(partner) + [2] * kinderen, n)
    geboren = (
        [f"{peildatum.year - leeftijd}-01-01"]
        + ["1990-01-01"] * int(partner)
        + [f"{peildatum.year - 3 - 4 * k}-01-01" for k in range(kinderen)]
    )
    toetsing = np.full(n * per_huishouden, np.nan)
    toetsing[::per_huishouden] = inkomens
    if partner:
        toetsing[1::per_huishouden] = 0.0
    populatie = Populatie.uit_kolommen(
        huishouden=np.repeat(np.arange(n), per_huishouden),
        rol=rol,
        geboortedatum=np.tile(np.array(geboren, dtype="datetime64[D]"), n),
        toetsingsinkomen_per_jaar=toetsing,
        vermogen=np.zeros(n * per_huishouden),
        woningsoort=np.zeros(n, dtype=np.int8),
        kale_huur_per_maand=np.full(n, huur),
    )
    return Simulatie(populatie, peildatum)


@INSTELLINGEN
@given(
    peildatum=PEILDATA,
    inkomens=st.lists(st.floats(0, 90000), min_size=2, max_size=30),
    partner=st.booleans(),
    kinderen=st.integers(0, 3),
    huur=st.floats(300, 1200),
)
def test_toeslagen_stijgen_nooit_met_het_inkomen(peildatum, inkomens, partner, kinderen, huur):
    s = _reeks(
        peildatum, np.sort(np.array(inkomens)), partner=partner, kinderen=kinderen, huur=huur
    )
    for naam in ("zorgtoeslag_per_jaar", "kindgebonden_budget_per_jaar", "huurtoeslag_per_maand"):
        assert np.all(np.diff(s(naam)) <= 1e-9), naam


@INSTELLINGEN
@given(
    peildatum=PEILDATA,
    huren=st.lists(st.floats(0, 1500), min_size=2, max_size=30),
    inkomen=st.floats(0, 40000),
)
def test_huurtoeslag_daalt_nooit_bij_hogere_huur_zolang_de_huur_onder_de_grens_blijft(
    peildatum, huren, inkomen
):
    huren = np.sort(np.array(huren))
    maximum = 900.07 if peildatum.year == 2025 else 10_000
    huren = huren[huren <= maximum]
    if huren.size < 2:
        return
    s = _reeks(peildatum, np.full(huren.size, inkomen), partner=False, kinderen=0, huur=0.0)
    s.populatie.kale_huur_per_maand[:] = huren
    assert np.all(np.diff(s("huurtoeslag_per_maand")) >= -1e-9)


@INSTELLINGEN
@given(
    peildatum=PEILDATA,
    lonen=st.lists(st.floats(0, 200000), min_size=2, max_size=30),
    aow=st.booleans(),
)
def test_meer_bruto_loon_geeft_nooit_minder_netto(peildatum, lonen, aow):
    lonen = np.sort(np.array(lonen))
    n = lonen.size
    populatie = Populatie.uit_kolommen(
        huishouden=np.arange(n),
        rol=np.zeros(n),
        loon_per_jaar=lonen,
        geboortedatum=np.full(n, "1950-01-01" if aow else "1990-01-01", dtype="datetime64[D]"),
        vermogen=np.zeros(n),
        woningsoort=np.full(n, 2),
    )
    s = Simulatie(populatie, peildatum)
    netto = s("netto_inkomen_per_jaar")
    assert np.all(np.diff(netto) >= -0.02)
    assert np.all(netto <= lonen + 0.01)
    assert np.all(s("inkomstenbelasting") >= 0)


@INSTELLINGEN
@given(peildatum=PEILDATA, netto=st.floats(0, 3000), data=st.data())
def test_een_hogere_norm_geeft_nooit_minder_bijstand(peildatum, netto, data):
    """Households with the same net income: the one with the higher norm gets at least as much."""
    samenstellingen = data.draw(
        st.lists(
            st.tuples(st.integers(18, 80), st.booleans(), st.integers(0, 2), st.integers(0, 2)),
            min_size=2,
            max_size=8,
        )
    )
    delen = []
    for leeftijd, partner, kinderen, medebewoners in samenstellingen:
        personen = [
            {
                "id": "a",
                "rol": "aanvrager",
                "geboortedatum": f"{peildatum.year - leeftijd}-06-01",
                "inkomsten": [{"soort": "overig", "bruto_per_jaar": 0}],
                "vermogen": 0,
            }
        ]
        if partner:
            personen.append(
                {
                    "id": "p",
                    "rol": "partner",
                    "geboortedatum": "1985-01-01",
                    "inkomsten": [],
                    "vermogen": 0,
                }
            )
        personen += [
            {"id": f"k{i}", "rol": "kind", "geboortedatum": f"{peildatum.year - 5}-01-01"}
            for i in range(kinderen)
        ]
        personen += [
            {"id": f"m{i}", "rol": "medebewoner", "geboortedatum": "1970-01-01", "inkomsten": []}
            for i in range(medebewoners)
        ]
        delen.append(
            lees_huishouden({"peildatum": peildatum.isoformat(), "personen": personen}).populatie
        )
    s = Simulatie(Populatie.samenvoegen(delen), peildatum)
    s.zet("bijstand_netto_inkomen_per_maand", np.full(len(delen), round(netto, 2)))
    norm = s("bijstandsnorm_per_maand")
    bijstand = s("bijstand_per_maand")
    volgorde = np.argsort(norm, kind="stable")
    assert np.all(np.diff(bijstand[volgorde]) >= -1e-9)
    assert np.all(bijstand <= norm + 1e-9)


persoon = st.fixed_dictionaries(
    {
        "rol": st.sampled_from(["partner", "kind", "medebewoner"]),
        "leeftijd": st.integers(0, 90),
        "loon": st.one_of(st.none(), st.floats(0, 5000)),
        "vermogen": st.one_of(st.none(), st.floats(0, 200000)),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    peildatum=PEILDATA,
    leeftijd=st.integers(16, 90),
    loon=st.one_of(st.none(), st.floats(0, 6000)),
    anderen=st.lists(persoon, max_size=4),
    huur=st.one_of(st.none(), st.floats(0, 1500)),
    gemeente=st.sampled_from([None, "voorbeeld"]),
)
def test_een_huishouden_alleen_is_gelijk_aan_hetzelfde_huishouden_in_een_batch(
    peildatum, leeftijd, loon, anderen, huur, gemeente
):
    personen = [
        {
            "id": "a",
            "rol": "aanvrager",
            "geboortedatum": f"{peildatum.year - leeftijd}-02-03",
            "vermogen": 0,
        }
    ]
    if loon is not None:
        personen[0]["inkomsten"] = [{"soort": "loon", "bruto_per_maand": round(loon, 2)}]
    partner_gezien = False
    for index, ander in enumerate(anderen):
        if ander["rol"] == "partner":
            if partner_gezien:
                continue
            partner_gezien = True
        item = {
            "id": f"p{index}",
            "rol": ander["rol"],
            "geboortedatum": f"{peildatum.year - ander['leeftijd'] - 1}-11-11",
        }
        if ander["loon"] is not None:
            item["inkomsten"] = [{"soort": "loon", "bruto_per_maand": round(ander["loon"], 2)}]
        if ander["vermogen"] is not None:
            item["vermogen"] = round(ander["vermogen"], 2)
        personen.append(item)
    data = {
        "peildatum": peildatum.isoformat(),
        "personen": personen,
        "woning": {
            "soort": "huur",
            **({"kale_huur_per_maand": round(huur, 2)} if huur is not None else {}),
        },
    }
    if gemeente:
        data["gemeente"] = gemeente
    alleen = bereken(data)
    from rekenregels import laad_catalogus

    catalogus = laad_catalogus(gemeente) if gemeente else None
    vulling = lees_huishouden(
        {
            "peildatum": peildatum.isoformat(),
            "personen": [
                {
                    "id": "x",
                    "rol": "aanvrager",
                    "geboortedatum": "1970-01-01",
                    "inkomsten": [],
                    "vermogen": 0,
                }
            ],
        }
    ).populatie
    populatie = Populatie.samenvoegen(
        [vulling] * 100 + [lees_huishouden(data).populatie] + [vulling] * 50
    )
    batch = screen(populatie, peildatum, catalogus=catalogus)
    for regeling in alleen["regelingen"]:
        uitkomst = batch.regelingen[regeling["code"]]
        assert {0: "nee", 1: "ja", 2: "misschien"}[int(uitkomst.recht[100])] == regeling["recht"]
        verwacht = (
            regeling["bedrag_per_jaar"]
            if regeling["bedrag_per_jaar"] is not None
            else regeling.get("bedrag_hoogstens_per_jaar", 0.0)
        )
        assert abs(uitkomst.bedrag_per_jaar[100] - verwacht) < 0.005
