"""Zorgtoeslag and kindgebonden budget in openfisca-core, for the rekenregels benchmark.

Runs in the separate benchmark virtualenv (openfisca-core is AGPL and never a dependency of
rekenregels). Called by ``rekenregels_benchmark.py``::

    .venv-bench/bin/python benchmarks/rekenregels_openfisca.py invoer.npz uitvoer.npz

``invoer.npz`` holds the same in-memory person table the rekenregels side starts from, plus
the parameter values (taken from rekenregels' parameter files, so both sides use identical
numbers). The formulas below are written for OpenFisca's own model (entities, roles,
variables with formulas, a parameter tree); they implement the same law as
``rekenregels/regels/toeslagen.py``. Prints its timings as JSON on stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Persoon = build_entity(key="persoon", plural="personen", label="Persoon", is_person=True)
Huishouden = build_entity(
    key="huishouden",
    plural="huishoudens",
    label="Huishouden",
    roles=[
        {"key": "aanvrager", "plural": "aanvragers", "label": "Aanvrager", "max": 1},
        {"key": "partner", "plural": "partners", "label": "Partner", "max": 1},
        {"key": "kind", "plural": "kinderen", "label": "Kind"},
        {"key": "medebewoner", "plural": "medebewoners", "label": "Medebewoner"},
    ],
)
JAAR = DateUnit.YEAR
PEILDATUM = dt.date(2025, 1, 1)  # replaced from the input file


def centen(bedrag):
    return np.sign(bedrag) * np.floor(np.abs(bedrag) * 100.0 + 0.5 + 1e-7) / 100.0


def leeftijd_op(geboortedatum, datum):
    jaren = geboortedatum.astype("datetime64[Y]").astype(np.int64) + 1970
    maanden = geboortedatum.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dagen = (geboortedatum - geboortedatum.astype("datetime64[M]")).astype(np.int64) + 1
    return datum.year - jaren - ((maanden * 100 + dagen) > (datum.month * 100 + datum.day))


class geboortedatum(Variable):
    value_type = float  # days since 1970-01-01; OpenFisca's date type is slow to fill
    entity = Persoon
    definition_period = DateUnit.ETERNITY
    label = "Geboortedatum (dagen sinds 1970)"


class toetsingsinkomen(Variable):
    value_type = float
    entity = Persoon
    definition_period = JAAR
    label = "Toetsingsinkomen"


class vermogen(Variable):
    value_type = float
    entity = Persoon
    definition_period = JAAR
    label = "Vermogen"


class leeftijd(Variable):
    value_type = int
    entity = Persoon
    definition_period = JAAR
    label = "Leeftijd op de peildatum"

    def formula(persoon, period, parameters):
        return leeftijd_op(persoon("geboortedatum", period).astype("datetime64[D]"), PEILDATUM)


class leeftijd_begin_kwartaal(Variable):
    value_type = int
    entity = Persoon
    definition_period = JAAR
    label = "Leeftijd op de eerste dag van het kwartaal"

    def formula(persoon, period, parameters):
        begin = PEILDATUM.replace(month=3 * ((PEILDATUM.month - 1) // 3) + 1, day=1)
        return leeftijd_op(persoon("geboortedatum", period).astype("datetime64[D]"), begin)


def _toeslagpartner(huishouden):
    return huishouden.members.has_role(Huishouden.AANVRAGER) | huishouden.members.has_role(
        Huishouden.PARTNER
    )


class heeft_partner(Variable):
    value_type = bool
    entity = Huishouden
    definition_period = JAAR
    label = "Heeft een toeslagpartner"

    def formula(huishouden, period, parameters):
        return huishouden.nb_persons(Huishouden.PARTNER) > 0


class toetsingsinkomen_toeslagpartners(Variable):
    value_type = float
    entity = Huishouden
    definition_period = JAAR
    label = "Gezamenlijk toetsingsinkomen"

    def formula(huishouden, period, parameters):
        inkomen = huishouden.members("toetsingsinkomen", period).astype(np.float64)
        return huishouden.sum(np.where(_toeslagpartner(huishouden), inkomen, 0.0))


class vermogen_toeslagpartners(Variable):
    value_type = float
    entity = Huishouden
    definition_period = JAAR
    label = "Gezamenlijk vermogen"

    def formula(huishouden, period, parameters):
        vermogen = huishouden.members("vermogen", period).astype(np.float64)
        return huishouden.sum(np.where(_toeslagpartner(huishouden), vermogen, 0.0))


class zorgtoeslag(Variable):
    value_type = float
    entity = Huishouden
    definition_period = JAAR
    label = "Zorgtoeslag per jaar"
    reference = "https://wetten.overheid.nl/BWBR0018451"

    def formula(huishouden, period, parameters):
        p = parameters(period).zorgtoeslag
        partner = huishouden("heeft_partner", period)
        # OpenFisca stores float variables as float32; compute the amount itself in float64.
        inkomen = huishouden("toetsingsinkomen_toeslagpartners", period).astype(np.float64)
        percentage = np.where(
            partner, p.normpremie_percentage_partner, p.normpremie_percentage_alleenstaand
        )
        normpremie = percentage * p.drempelinkomen + p.afbouwpercentage * np.maximum(
            0.0, inkomen - p.drempelinkomen
        )
        bedrag = centen(
            np.maximum(0.0, p.standaardpremie * np.where(partner, 2.0, 1.0) - normpremie)
        )
        grens = np.where(partner, p.vermogensgrens_partner, p.vermogensgrens_alleenstaand)
        leeftijd_aanvrager = huishouden.value_from_person(
            huishouden.members("leeftijd", period), Huishouden.AANVRAGER
        )
        voldoet = (
            (leeftijd_aanvrager >= p.minimumleeftijd)
            & (huishouden("vermogen_toeslagpartners", period) <= grens)
            & (bedrag >= parameters(period).toeslagen.minimum_jaarbedrag)
        )
        return np.where(voldoet, bedrag, 0.0)


class kindgebonden_budget(Variable):
    value_type = float
    entity = Huishouden
    definition_period = JAAR
    label = "Kindgebonden budget per jaar"
    reference = "https://wetten.overheid.nl/BWBR0022751"

    def formula(huishouden, period, parameters):
        p = parameters(period).kindgebonden_budget
        leeftijd = huishouden.members("leeftijd", period)
        kind = huishouden.members.has_role(Huishouden.KIND)
        per_kind = (
            p.bedrag_per_kind
            + np.where((leeftijd >= 12) & (leeftijd < 16), p.toeslag_12_tot_16, 0.0)
            + np.where(leeftijd >= 16, p.toeslag_16_tot_18, 0.0)
        )
        totaal = huishouden.sum(np.where(kind & (leeftijd < p.maximumleeftijd_kind), per_kind, 0.0))
        partner = huishouden("heeft_partner", period)
        aantal_kinderen = huishouden.sum(kind & (leeftijd < 18))
        kop = np.where(~partner & (aantal_kinderen > 0), p.alleenstaande_ouderkop, 0.0)
        maximum = np.where(totaal > 0, totaal + kop, 0.0)
        drempel = np.where(partner, p.drempel_partners, p.drempel_alleenstaand)
        inkomen = huishouden("toetsingsinkomen_toeslagpartners", period).astype(np.float64)
        vermindering = centen(p.afbouwpercentage * np.maximum(0.0, inkomen - drempel))
        bedrag = np.maximum(0.0, maximum - vermindering)
        kwartaal = huishouden.members("leeftijd_begin_kwartaal", period)
        kinderbijslag = huishouden.sum(kind & (kwartaal >= 0) & (kwartaal < 18)) > 0
        grens = np.where(partner, p.vermogensgrens_partner, p.vermogensgrens_alleenstaand)
        voldoet = (
            (huishouden("vermogen_toeslagpartners", period) <= grens)
            & kinderbijslag
            & (bedrag >= parameters(period).toeslagen.minimum_jaarbedrag)
        )
        return np.where(voldoet, centen(bedrag), 0.0)


class Systeem(TaxBenefitSystem):
    def __init__(self, parameterwaarden: dict[str, float], jaar: int):
        super().__init__([Persoon, Huishouden])
        for variabele in (
            geboortedatum,
            toetsingsinkomen,
            vermogen,
            leeftijd,
            leeftijd_begin_kwartaal,
            heeft_partner,
            toetsingsinkomen_toeslagpartners,
            vermogen_toeslagpartners,
            zorgtoeslag,
            kindgebonden_budget,
        ):
            self.add_variable(variabele)
        boom: dict = {}
        for pad, waarde in parameterwaarden.items():
            groep, naam = pad.split(".")
            boom.setdefault(groep, {})[naam] = {"values": {f"{jaar}-01-01": float(waarde)}}
        self.parameters = ParameterNode("", data=boom)


def main() -> None:
    global PEILDATUM
    invoer = np.load(sys.argv[1])
    PEILDATUM = dt.date.fromisoformat(str(invoer["peildatum"]))
    namen = [str(n) for n in invoer["parameter_namen"]]
    systeem = Systeem(dict(zip(namen, invoer["parameter_waarden"])), PEILDATUM.year)
    huishouden_id = invoer["huishouden"]
    rol = invoer["rol"]
    geboren = invoer["geboortedatum"].astype("datetime64[D]").astype(np.int64).astype(np.float64)
    aantal_huishoudens = int(invoer["aantal_huishoudens"])
    jaar = str(PEILDATUM.year)

    start, start_cpu = time.perf_counter(), time.process_time()
    bouwer = SimulationBuilder()
    bouwer.create_entities(systeem)
    bouwer.declare_person_entity("persoon", np.arange(huishouden_id.size))
    huishoudens = bouwer.declare_entity("huishouden", np.arange(aantal_huishoudens))
    bouwer.join_with_persons(huishoudens, huishouden_id, rol)  # integer roles: the fastest path
    simulatie = bouwer.build(systeem)
    simulatie.set_input("geboortedatum", jaar, geboren)
    simulatie.set_input("toetsingsinkomen", jaar, invoer["toetsingsinkomen"])
    simulatie.set_input("vermogen", jaar, invoer["vermogen"])
    gebouwd = time.perf_counter()
    zorgtoeslag_bedrag = simulatie.calculate("zorgtoeslag", jaar)
    kgb = simulatie.calculate("kindgebonden_budget", jaar)
    klaar, cpu = time.perf_counter(), time.process_time() - start_cpu
    np.savez(sys.argv[2], zorgtoeslag=zorgtoeslag_bedrag, kindgebonden_budget=kgb)
    print(
        json.dumps(
            {
                "opbouw_s": gebouwd - start,
                "rekenen_s": klaar - gebouwd,
                "totaal_s": klaar - start,
                "cpu_s": cpu,
            }
        )
    )


if __name__ == "__main__":
    main()
