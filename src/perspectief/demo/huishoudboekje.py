"""Demo data for the huishoudboekje of gemeente Voorbeeld (called by `demo_genereren`).

- The tussenrekening NL36ABNA5632579034 (the account of the Utrecht fixture persona files,
  research/huishoudboekje.md §4.4).
- DEELNAMES households take part: the first ones of Wijkteam Midden (demo.budgetbeheerder's
  team) and the resident's household 1 with three more of Wijkteam Noord
  (demo.budgetbeheerder2's team), so demo.inwoner sees /mijn-huishoudboekje/ and the two
  budgetbeheerders can approve each other's payment batches (four eyes).
- Each gets afspraken: bijstand (gemeente Voorbeeld), huurtoeslag and zorgtoeslag
  (Belastingdienst/Toeslagen), huur, energie, water and zorgverzekering, weekly leefgeld.
- MAANDEN months of bank lines up to yesterday, written as CAMT.053 statements (one per
  month, built in memory here) and imported through ``inlezen.bankbestand_inlezen``: the
  income is matched by the import (IBAN, search term, amount, date); the fixed costs and the
  leefgeld are our own earlier payments (status VERZONDEN, end-to-end id on the statement).
  A few lines are left for people: bank costs, an unexpected extra payment, an unknown
  transfer; one household misses its huurtoeslag and one gets less bijstand, which become
  signals.
- Then the payments of the next weeks are planned and demo.budgetbeheerder prepares a batch
  for the next bank day, waiting for demo.budgetbeheerder2's approval.

Deterministic for a seed apart from the dates, which follow today (as the buddy links do).
`verwijderen` removes it all again before the households are reset: the ledger is
append-only in the database, so for this demo reset only its triggers are lifted inside
the reset's transaction (the same statements the test suite uses for its flush).
"""

from __future__ import annotations

import importlib
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from xml.sax.saxutils import escape

from django.db import connection, transaction
from django.utils import timezone
from schwifty import IBAN

from perspectief.contrib.bankformaten import next_execution_date
from perspectief.huishoudboekje import grootboek, schema
from perspectief.huishoudboekje.betalingen import end_to_end_id
from perspectief.huishoudboekje.constants import (
    BetalingSoort,
    BetalingStatus,
    Frequentie,
    LeefgeldFrequentie,
    Richting,
    Rubriek,
)
from perspectief.huishoudboekje.models import (
    Afspraak,
    Bankbestand,
    Banktransactie,
    Betaalbatch,
    Betaling,
    Deelname,
    Journaalpost,
    Mutatie,
    Organisatie,
    Rekening,
    Signaal,
    Tussenrekening,
)
from perspectief.huishoudens.models import Gemeente, Huishouden, Persoon

from . import constants as c

# Namespace of the demo payments' uuids (uuid5: the same demo data every run).
_DEMO_UUID = uuid.UUID("6f1d3c2e-5b7a-4c1e-9a0d-3e2f1b4c5d6e")

TUSSENREKENING_IBAN = "NL36ABNA5632579034"
TUSSENREKENING_BIC = "ABNANL2A"
DEELNAMES_MIDDEN = 36
DEELNAMES_NOORD = 4  # household 1 (demo.inwoner) and the next three of Noord
MAANDEN = 3
BUDGETBEHEERDER = "demo.budgetbeheerder"
BUDGETBEHEERDER2 = "demo.budgetbeheerder2"

# Counterparties (fictional names; valid IBANs of fictional accounts, generated with
# schwifty from a bank code and a made-up account number).
GEMEENTE_BIJSTAND = ("Gemeente Voorbeeld Werk en Inkomen", "BNGH", "0285012345")
TOESLAGEN = ("Belastingdienst/Toeslagen", "INGB", "0002445588")  # the account number toeslagen are paid from
VERHUURDERS = (("Woningstichting Het Anker", "RABO", "0301122334"), ("Woonbron Voorbeeld", "ABNA", "0417164300"))
ENERGIE = ("Stroom en Gas Samen B.V.", "INGB", "0007654321")
WATER = ("Waterbedrijf Voorbeeld", "BNGH", "0285098765")
ZORGVERZEKERAARS = (("Zorgverzekeraar Gezond", "RABO", "0123456789"), ("Zorgzaam Verzekerd", "ABNA", "0521234567"))
BANK = "ABN AMRO Bank"

# Amounts. Toeslagen 2026 and the rents are ASSUMPTIONS in the usual range for a household
# on the social minimum, not looked up per household; bijstand is the demo's own income.
HUUR = (Decimal("612.40"), Decimal("689.15"), Decimal("734.80"), Decimal("802.55"))
HUURTOESLAG = (Decimal("218.00"), Decimal("264.00"), Decimal("301.00"))
ZORGTOESLAG = (Decimal("131.00"), Decimal("131.00"), Decimal("249.00"))
ENERGIE_BEDRAG = (Decimal("95.00"), Decimal("120.00"), Decimal("145.00"))
WATER_BEDRAG = (Decimal("21.50"), Decimal("27.75"))
ZORGVERZEKERING = (Decimal("148.95"), Decimal("156.20"), Decimal("297.90"))
BUFFER = Decimal("50.00")


def _iban(bank: str, nummer: str) -> str:
    return str(IBAN.generate("NL", bank_code=bank, account_code=nummer))


# --- removing -------------------------------------------------------------------------------


def _ledger_triggers(up: bool) -> None:
    migratie = importlib.import_module("perspectief.huishoudboekje.migrations.0002_grootboek_alleen_toevoegen")
    statements = {
        "postgresql": migratie.POSTGRESQL_UP if up else [s for s in migratie.POSTGRESQL_DOWN if "FUNCTION" not in s],
        "sqlite": migratie.SQLITE_UP if up else migratie.SQLITE_DOWN,
    }.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            if up and connection.vendor == "postgresql" and "CREATE TRIGGER" in statement:
                name, table = statement.split()[2], statement.split(" ON ")[1].split()[0]
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            cursor.execute(statement)


def verwijderen(gemeente: Gemeente) -> None:
    """Removes the huishoudboekje of the gemeente (all its tussenrekeningen and what hangs
    from them). Call inside a transaction: the ledger's append-only triggers are lifted
    for the DELETEs and put back before the transaction ends."""
    rekeningen = Tussenrekening.objects.filter(gemeente=gemeente)
    deelnames = Deelname.objects.filter(tussenrekening__in=rekeningen)
    if not rekeningen.exists() and not Deelname.objects.filter(huishouden__gemeente=gemeente).exists():
        return
    with transaction.atomic():
        Signaal.transacties.through.objects.filter(signaal__deelname__in=deelnames).delete()
        Signaal.objects.filter(deelname__in=deelnames).delete()
        Betaling.objects.filter(deelname__in=deelnames).delete()
        Betaalbatch.objects.filter(tussenrekening__in=rekeningen).delete()
        _ledger_triggers(up=False)
        try:
            Mutatie.objects.filter(journaalpost__gemeente=gemeente).delete()
            Journaalpost.objects.filter(gemeente=gemeente, draait_terug__isnull=False).delete()
            Journaalpost.objects.filter(gemeente=gemeente).delete()
        finally:
            _ledger_triggers(up=True)
        Banktransactie.objects.filter(tussenrekening__in=rekeningen).delete()
        Bankbestand.objects.filter(tussenrekening__in=rekeningen).delete()
        Rekening.objects.filter(gemeente=gemeente).delete()
        Afspraak.objects.filter(deelname__in=deelnames).delete()
        deelnames.delete()
        Organisatie.objects.filter(gemeente=gemeente).delete()
        rekeningen.delete()


# --- the CAMT.053 statements ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Regel:
    datum: date
    bedrag: Decimal
    binnen: bool
    naam: str
    iban: str
    omschrijving: str
    end_to_end_id: str = ""


def camt053(regels: list[Regel], *, rekening: str, afschrift_id: str, datum: date) -> bytes:
    """A CAMT.053.001.02 statement of `rekening` with these lines (booked, in EUR)."""
    entries = []
    for nummer, r in enumerate(regels, start=1):
        zijde = "Dbtr" if r.binnen else "Cdtr"
        iban = f"<{zijde}Acct><Id><IBAN>{r.iban}</IBAN></Id></{zijde}Acct>" if r.iban else ""
        entries.append(
            f'<Ntry><Amt Ccy="EUR">{r.bedrag:.2f}</Amt><CdtDbtInd>{"CRDT" if r.binnen else "DBIT"}</CdtDbtInd>'
            f"<Sts>BOOK</Sts><BookgDt><Dt>{r.datum.isoformat()}</Dt></BookgDt>"
            f"<ValDt><Dt>{r.datum.isoformat()}</Dt></ValDt><AcctSvcrRef>{afschrift_id}-{nummer}</AcctSvcrRef>"
            f"<NtryDtls><TxDtls><Refs><EndToEndId>{escape(r.end_to_end_id or 'NOTPROVIDED')}</EndToEndId></Refs>"
            f"<RltdPties><{zijde}><Nm>{escape(r.naam)}</Nm></{zijde}>{iban}</RltdPties>"
            f"<RmtInf><Ustrd>{escape(r.omschrijving)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>{afschrift_id}</MsgId><CreDtTm>{datum.isoformat()}T06:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{afschrift_id}</Id><ElctrncSeqNb>1</ElctrncSeqNb>"
        f"<Acct><Id><IBAN>{rekening}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f'<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt>'
        f"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{datum.isoformat()}</Dt></Dt></Bal>"
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    ).encode()


# --- making -----------------------------------------------------------------------------------


@dataclass
class _Plan:
    """One participating household: its afspraken, its weekly leefgeld and its anomalies."""

    deelname: Deelname
    nummer: str  # the client number in the income's description (the afspraak's search term)
    inkomsten: list[Afspraak]
    lasten: list[Afspraak]
    leefgeld: Decimal


def _maand_terug(dag: date, maanden: int) -> date:
    jaar, maand = divmod(dag.year * 12 + dag.month - 1 - maanden, 12)
    return date(jaar, maand + 1, 1)


def _organisaties(gemeente: Gemeente) -> dict[str, tuple[Organisatie, str]]:
    uit = {}
    for sleutel, (naam, bank, nummer) in {
        "bijstand": GEMEENTE_BIJSTAND, "toeslagen": TOESLAGEN, "energie": ENERGIE, "water": WATER,
        **{f"huur{i}": v for i, v in enumerate(VERHUURDERS)},
        **{f"zorg{i}": v for i, v in enumerate(ZORGVERZEKERAARS)},
    }.items():
        uit[sleutel] = (Organisatie.objects.create(gemeente=gemeente, naam=naam), _iban(bank, nummer))
    return uit


def _bijstand(huishouden: Huishouden) -> Decimal:
    """The household's bijstand per month from the demo incomes (the aanvrager's and
    partner's 'Bijstand' lines), or the single norm when it has none."""
    bedragen = [
        inkomen.bruto_per_maand
        for persoon in huishouden.personen.all()
        for inkomen in persoon.inkomsten.all()
        if inkomen.omschrijving.startswith("Bijstand")
    ]
    return sum(bedragen, Decimal("0.00")) or c.BIJSTAND_ALLEENSTAANDE


def _afspraak(deelname, org, iban, *, richting, rubriek, omschrijving, bedrag, dag, vanaf, zoektermen=(), marge=Decimal("0")):
    return Afspraak(
        deelname=deelname, richting=richting, rubriek=rubriek, omschrijving=omschrijving, organisatie=org,
        tegenrekening_iban=iban, bedrag=bedrag, marge_bedrag=marge, marge_dagen=3, frequentie=Frequentie.MAAND,
        dag=dag, geldig_vanaf=vanaf, zoektermen=list(zoektermen),
    )


def _plannen(gemeente, tussenrekening, huishoudens, beheerders, start: date, rng: random.Random) -> list[_Plan]:
    orgs = _organisaties(gemeente)
    plannen = []
    for index, (huishouden, beheerder) in enumerate(zip(huishoudens, beheerders, strict=True)):
        aanvrager = huishouden.personen.order_by("pk").first()
        deelname = Deelname.objects.create(
            huishouden=huishouden, tussenrekening=tussenrekening, budgetbeheerder=beheerder, startdatum=start,
            leefgeld_frequentie=LeefgeldFrequentie.WEEK, leefgeld_dag=0,
            leefgeld_iban=_iban("INGB", f"{6100000 + index:010d}"),
            leefgeld_naam=f"{aanvrager.voornamen[:1]}. {huishouden.naam}"[:70], buffer=BUFFER,
        )
        grootboek.huishoudrekening(deelname)
        nummer = f"VB{4711000 + index}"
        bijstand, huurtoeslag, zorgtoeslag = _bijstand(huishouden), rng.choice(HUURTOESLAG), rng.choice(ZORGTOESLAG)
        lasten_vanaf = _maand_terug(start, -1)
        verhuurder, zorg = orgs[f"huur{index % 2}"], orgs[f"zorg{index % 2}"]
        inkomsten = [
            _afspraak(deelname, *orgs["bijstand"], richting=Richting.INKOMEN, rubriek=Rubriek.UITKERING,
                      omschrijving="Bijstand", bedrag=bijstand, dag=25, vanaf=start, zoektermen=[nummer]),
            _afspraak(deelname, *orgs["toeslagen"], richting=Richting.INKOMEN, rubriek=Rubriek.TOESLAGEN,
                      omschrijving="Huurtoeslag", bedrag=huurtoeslag, dag=20, vanaf=start, zoektermen=[f"{nummer}H"]),
            _afspraak(deelname, *orgs["toeslagen"], richting=Richting.INKOMEN, rubriek=Rubriek.TOESLAGEN,
                      omschrijving="Zorgtoeslag", bedrag=zorgtoeslag, dag=20, vanaf=start, zoektermen=[f"{nummer}Z"]),
        ]
        lasten = [
            _afspraak(deelname, *verhuurder, richting=Richting.UITGAVE, rubriek=Rubriek.HUUR, omschrijving="Huur",
                      bedrag=rng.choice(HUUR), dag=1, vanaf=lasten_vanaf),
            _afspraak(deelname, *orgs["energie"], richting=Richting.UITGAVE, rubriek=Rubriek.ENERGIE,
                      omschrijving="Voorschot gas en stroom", bedrag=rng.choice(ENERGIE_BEDRAG), dag=15, vanaf=lasten_vanaf),
            _afspraak(deelname, *orgs["water"], richting=Richting.UITGAVE, rubriek=Rubriek.WATER,
                      omschrijving="Water", bedrag=rng.choice(WATER_BEDRAG), dag=10, vanaf=lasten_vanaf),
            _afspraak(deelname, *zorg, richting=Richting.UITGAVE, rubriek=Rubriek.ZORGVERZEKERING,
                      omschrijving="Premie zorgverzekering", bedrag=rng.choice(ZORGVERZEKERING), dag=1, vanaf=lasten_vanaf),
        ]
        Afspraak.objects.bulk_create(inkomsten + lasten)
        per_maand = sum((a.bedrag for a in inkomsten), Decimal(0)) - sum((a.bedrag for a in lasten), Decimal(0))
        # Weekly leefgeld so far: three quarters of what is left per week, down to whole fives;
        # the rest builds a small reserve, so today's budget has leefgeld to pay.
        per_week = per_maand * 12 / 52 * Decimal("0.75") / 5
        leefgeld = max(Decimal("25.00"), (per_week.quantize(Decimal(1), rounding=ROUND_DOWN) * 5).quantize(Decimal("0.01")))
        plannen.append(_Plan(deelname, nummer, inkomsten, lasten, leefgeld))
    return plannen


def _maanden_regels(plannen: list[_Plan], start: date, gisteren: date) -> tuple[list[Regel], list[Betaling]]:
    """The bank lines from `start` to `gisteren`, and our own payments they carry."""
    regels: list[Regel] = []
    betalingen: list[Betaling] = []
    # The anomalies fall in last month: this month's statement may not be complete yet.
    vorige_maand, deze_maand = _maand_terug(gisteren, 1), _maand_terug(gisteren, 0)
    for index, plan in enumerate(plannen):
        for afspraak in plan.inkomsten:
            for termijn in schema.afspraak_termijnen(afspraak, start, gisteren):
                if index == 3 and afspraak.omschrijving == "Huurtoeslag" and vorige_maand <= termijn < deze_maand:
                    continue  # missing: a signal "Verwacht geld is niet binnengekomen"
                bedrag = afspraak.bedrag
                if index == 5 and afspraak.omschrijving == "Bijstand" and vorige_maand <= termijn < deze_maand:
                    bedrag -= Decimal("120.00")  # a deduction: "Bedrag wijkt af van de afspraak"
                dag = min(termijn + timedelta(days=index % 3 - 1), gisteren)
                regels.append(Regel(dag, bedrag, True, afspraak.organisatie.naam, afspraak.tegenrekening_iban,
                                    f"{afspraak.omschrijving} {termijn:%m-%Y} {afspraak.zoektermen[0]}"))
        eerste_inkomen = min(schema.afspraak_termijnen(plan.inkomsten[1], start, gisteren) or [gisteren])
        te_betalen = [(a, t) for a in plan.lasten for t in schema.afspraak_termijnen(a, start, gisteren)]
        te_betalen += [(None, t) for t in schema.leefgeld_termijnen(plan.deelname, eerste_inkomen, gisteren)]
        for afspraak, termijn in te_betalen:
            uitvoer = next_execution_date(termijn)
            if uitvoer > gisteren:
                continue
            # A payment's real end-to-end id (the import recognises only ours by its prefix),
            # from a uuid derived from deelname, afspraak and term: the same demo every run.
            sleutel = uuid.uuid5(
                _DEMO_UUID, f"{plan.deelname.pk}-{'L' if afspraak is None else afspraak.pk}-{termijn:%Y%m%d}"
            )
            e2e = end_to_end_id(sleutel)
            bedrag = plan.leefgeld if afspraak is None else afspraak.bedrag
            naam = plan.deelname.leefgeld_naam if afspraak is None else afspraak.organisatie.naam
            iban = plan.deelname.leefgeld_iban if afspraak is None else afspraak.tegenrekening_iban
            omschrijving = "Leefgeld" if afspraak is None else afspraak.omschrijving
            betalingen.append(Betaling(
                uuid=sleutel, deelname=plan.deelname, afspraak=afspraak,
                soort=BetalingSoort.LEEFGELD if afspraak is None else BetalingSoort.VASTE_LAST,
                termijn=termijn, uitvoerdatum=uitvoer, bedrag=bedrag, tegenrekening_iban=iban,
                tegenpartij_naam=naam[:70], omschrijving=omschrijving, end_to_end_id=e2e,
                status=BetalingStatus.VERZONDEN,
            ))
            regels.append(Regel(uitvoer, bedrag, False, naam, iban, omschrijving, e2e))
    # Lines for people: an extra payment without the client number (suggestions), an
    # unknown transfer, and the bank's costs.
    for maand in range(MAANDEN + 1):
        eerste = _maand_terug(gisteren, maand)
        if eerste < start:
            break
        kosten = min(next_execution_date(eerste), gisteren)
        regels.append(Regel(kosten, Decimal("12.50"), False, BANK, "", "Kosten betalingsverkeer"))
    if plannen:
        bijstand = plannen[0].inkomsten[0]
        regels.append(Regel(gisteren, Decimal("85.00"), True, bijstand.organisatie.naam, bijstand.tegenrekening_iban,
                            "Nabetaling vakantiegeld"))
        regels.append(Regel(gisteren - timedelta(days=2), Decimal("40.00"), True, "J. de Vries", _iban("RABO", "0398765432"),
                            "Terug van uitje"))
    return sorted(regels, key=lambda r: (r.datum, r.omschrijving)), betalingen


def _deelnemers(gemeente: Gemeente, inwoner_persoon: Persoon | None) -> tuple[list[Huishouden], list[Huishouden]]:
    """The households of Midden (demo.budgetbeheerder) and of Noord (demo.budgetbeheerder2,
    the resident's household first) that take part."""
    per_team = Huishouden.objects.filter(gemeente=gemeente).order_by("pk")
    midden = list(per_team.filter(team__naam=c.TEAMS[1])[:DEELNAMES_MIDDEN])
    noord = [inwoner_persoon.huishouden] if inwoner_persoon is not None else []
    noord += [h for h in per_team.filter(team__naam=c.TEAMS[0])[:DEELNAMES_NOORD] if h not in noord]
    return midden, noord[:DEELNAMES_NOORD]


def maken(*, gemeente_id: int, seed: int = c.DEFAULT_SEED) -> dict[str, int]:
    """Writes the demo huishoudboekje (see the module docstring). Returns counts."""
    from perspectief.huishoudboekje import inlezen
    from perspectief.toegang.models import Gebruiker

    gemeente = Gemeente.objects.get(pk=gemeente_id)
    rng = random.Random(seed)
    vandaag = timezone.localdate()
    gisteren = vandaag - timedelta(days=1)
    start = _maand_terug(vandaag, MAANDEN)
    beheerder = Gebruiker.objects.get(username=BUDGETBEHEERDER)
    beheerder2 = Gebruiker.objects.get(username=BUDGETBEHEERDER2)
    inwoner = Gebruiker.objects.filter(username=c.INWONER_USERNAME).select_related("persoon__huishouden").first()
    with transaction.atomic():
        verwijderen(gemeente)
        tussenrekening = Tussenrekening.objects.create(
            gemeente=gemeente, iban=TUSSENREKENING_IBAN, bic=TUSSENREKENING_BIC, naam="Gemeente Voorbeeld Huishoudboekje"
        )
        grootboek.systeemrekeningen(tussenrekening)
        midden, noord = _deelnemers(gemeente, inwoner.persoon if inwoner else None)
        beheerders = [beheerder] * len(midden) + [beheerder2] * len(noord)
        plannen = _plannen(gemeente, tussenrekening, midden + noord, beheerders, start, rng)
        regels, betalingen = _maanden_regels(plannen, start, gisteren)
        Betaling.objects.bulk_create(betalingen, batch_size=2000)
    # One statement per month, imported as the bank would deliver them (each in its own
    # transactions, as in production).
    bestanden = 0
    per_maand: dict[date, list[Regel]] = {}
    for regel in regels:
        per_maand.setdefault(_maand_terug(regel.datum, 0), []).append(regel)
    for maand, maandregels in sorted(per_maand.items()):
        naam = f"VB-AFSCHRIFT-{maand:%Y-%m}"
        inhoud = camt053(maandregels, rekening=TUSSENREKENING_IBAN, afschrift_id=naam, datum=maandregels[-1].datum)
        inlezen.bankbestand_inlezen(actor=beheerder, tussenrekening=tussenrekening, bestandsnaam=f"{naam}.xml", inhoud=inhoud)
        bestanden += 1
    uitkomst = {"deelnames": len(plannen), "banktransacties": len(regels), "bestanden": bestanden, "signalen": 0, "batch": 0}
    uitkomst.update(_signalen_en_betalingen(tussenrekening, beheerder, vandaag))
    return uitkomst


def _signalen_en_betalingen(tussenrekening: Tussenrekening, beheerder, vandaag: date) -> dict[str, int]:
    """Signals as of today, the payments of the next two weeks planned, and a batch for the
    next bank day prepared by demo.budgetbeheerder (waiting for the second pair of eyes).
    Skipped when those services are not installed."""
    uit = {}
    try:
        from perspectief.huishoudboekje import signalen
    except ImportError:
        signalen = None
    if signalen is not None:
        signalen.signalen_bijwerken(peildatum=vandaag)
        uit["signalen"] = Signaal.objects.filter(deelname__tussenrekening=tussenrekening).count()
    try:
        from perspectief.huishoudboekje import betalingen
    except ImportError:
        return uit
    betalingen.betalingen_plannen(tussenrekening=tussenrekening, peildatum=vandaag, tot=vandaag + timedelta(days=14))
    eerste = (
        Betaling.objects.filter(deelname__tussenrekening=tussenrekening, status=BetalingStatus.GEPLAND)
        .order_by("uitvoerdatum").values_list("uitvoerdatum", flat=True).first()
    )
    if eerste is not None:
        uitvoerdatum = max(next_execution_date(vandaag), eerste)
        batch = betalingen.batch_voorbereiden(actor=beheerder, tussenrekening=tussenrekening, uitvoerdatum=uitvoerdatum)
        uit["batch"] = batch.aantal
    return uit
