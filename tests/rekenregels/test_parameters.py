"""Dated parameters: every number has a unit and a source; dates without values are errors."""

from __future__ import annotations

import datetime as dt

import pytest

from rekenregels import (
    ParameterOntbreekt,
    Parameters,
    Simulatie,
    bereken,
    lees_huishouden,
    standaard_parameters,
)

from .conftest import huishouden


def test_elke_parameter_heeft_omschrijving_eenheid_en_bron_per_waarde():
    parameters = standaard_parameters()
    paden = list(parameters)
    assert len(paden) > 60
    for pad in paden:
        parameter = parameters[pad]
        assert parameter.omschrijving and parameter.eenheid, pad
        assert parameter.wet, f"{pad} noemt geen wet"
        for waarde in parameter.waarden:
            assert waarde.bron.startswith("https://"), (pad, waarde.vanaf)
            if not waarde.bevestigd:
                assert waarde.toelichting, f"{pad} {waarde.vanaf}: onbevestigd zonder toelichting"


def test_waarde_wisselt_op_1_juli():
    parameters = standaard_parameters()
    pad = "bijstand.normen.alleenstaande_21_tot_aow"
    assert parameters.op(dt.date(2025, 6, 30))(pad) == 1345.45
    assert parameters.op(dt.date(2025, 7, 1))(pad) == 1369.06


def test_datum_voor_de_eerste_waarde_is_een_duidelijke_fout():
    with pytest.raises(ParameterOntbreekt) as fout:
        standaard_parameters().op(dt.date(2024, 12, 31))("zorgtoeslag.standaardpremie")
    assert "zorgtoeslag.standaardpremie" in str(fout.value)
    assert "2025-01-01" in str(fout.value)


def test_datum_na_de_dekking_is_een_duidelijke_fout_en_geen_stille_nul():
    with pytest.raises(ParameterOntbreekt) as fout:
        bereken(huishouden(peildatum="2027-01-01"))
    assert "2026-12-31" in str(fout.value)
    assert fout.value.als_dict()["fouten"][0]["veld"] == "peildatum"


def test_hervorming_met_een_extra_waarde_verandert_de_uitkomst():
    parameters = standaard_parameters().met_waarde(
        "zorgtoeslag.standaardpremie", dt.date(2025, 1, 1), 2400, "https://example.org/hervorming"
    )
    invoer = lees_huishouden(huishouden(**{"personen[0].toetsingsinkomen_per_jaar": 20000}))
    oud = Simulatie(invoer.populatie, invoer.peildatum)("zorgtoeslag_per_jaar")[0]
    nieuw = Simulatie(invoer.populatie, invoer.peildatum, parameters=parameters)(
        "zorgtoeslag_per_jaar"
    )[0]
    assert nieuw - oud == pytest.approx(288.0)
    assert standaard_parameters().op(dt.date(2025, 3, 1))("zorgtoeslag.standaardpremie") == 2112


def test_parameterbestand_zonder_bron_wordt_geweigerd(tmp_path):
    (tmp_path / "fout.yaml").write_text(
        "groep:\n  bedrag:\n    omschrijving: x\n    eenheid: EUR\n    waarden:\n      2025-01-01: {waarde: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="'waarde' en 'bron' zijn verplicht"):
        Parameters.laad(tmp_path)


def test_uitleg_noemt_parameters_met_bron_en_wet():
    resultaat = bereken(huishouden(**{"personen[0].toetsingsinkomen_per_jaar": 30000}))
    zorgtoeslag = next(r for r in resultaat["regelingen"] if r["code"] == "zorgtoeslag")
    parameters = {p["pad"]: p for p in zorgtoeslag["uitleg"]["parameters"]}
    assert parameters["zorgtoeslag.standaardpremie"]["waarde"] == 2112
    assert parameters["zorgtoeslag.standaardpremie"]["eenheid"] == "EUR/jaar"
    assert parameters["zorgtoeslag.drempelinkomen"]["bron"].startswith("https://")
    assert "Wet op de zorgtoeslag" in parameters["zorgtoeslag.afbouwpercentage"]["wet"]


def test_onbevestigde_parameters_geven_een_waarschuwing():
    resultaat_2026 = bereken(huishouden(peildatum="2026-03-01"))
    paden = {w["parameter"] for w in resultaat_2026["waarschuwingen"]}
    assert "zorgtoeslag.afbouwpercentage" in paden
    assert "bijstand.normen.alleenstaande_21_tot_aow" in paden
    resultaat_2025 = bereken(huishouden(peildatum="2025-03-01"))
    assert "zorgtoeslag.afbouwpercentage" not in {
        w["parameter"] for w in resultaat_2025["waarschuwingen"]
    }
