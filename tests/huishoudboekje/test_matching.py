"""Matching: the score table (docs/huishoudboekje.md, "Matching"), ambiguity, suggestions,
manual booking, booking on a category, undo (also of a line booked inside an import
chunk), and the persona statements matched to afspraken built from their descriptions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from perspectief.huishoudboekje import grootboek
from perspectief.huishoudboekje.constants import (
    Frequentie,
    JournaalSoort,
    Richting,
    Rubriek,
    TransactieStatus,
)
from perspectief.huishoudboekje.inlezen import bankbestand_inlezen
from perspectief.huishoudboekje.matching import (
    DREMPEL_AUTOMATISCH,
    BoekenGeweigerd,
    Matcher,
    handmatig_boeken,
    ongedaan_maken,
    op_categorie_boeken,
    score,
    suggesties,
)
from perspectief.huishoudboekje.models import Afspraak, Banktransactie, Deelname, Journaalpost

from ..contrib.bankformaten.builders import camt_document, camt_entry
from ..contrib.bankformaten.conftest import read_fixture
from .factories import (
    AfspraakFactory,
    BudgetbeheerderFactory,
    DeelnameFactory,
    TussenrekeningFactory,
)

HUUR_IBAN = "NL20INGB0001234567"


def lijn(**kwargs) -> Banktransactie:
    waarden = {
        "boekdatum": datetime.date(2026, 2, 2),
        "richting": Richting.UITGAVE,
        "bedrag": Decimal("650.00"),
        "tegenrekening_iban": HUUR_IBAN,
        "omschrijving": "",
        "tegenpartij_naam": "",
        "betalingskenmerk": "",
    }
    waarden.update(kwargs)
    return Banktransactie(**waarden)


@pytest.fixture
def afspraak(db):
    return AfspraakFactory(
        marge_bedrag=Decimal("10.00"), zoektermen=["huurnummer 17"], betalingskenmerk="1234567"
    )


def codes(s) -> list[str]:
    return [r.code for r in s.redenen]


def test_iban_amount_and_date_book_automatically(afspraak):
    s = score(lijn(bedrag=Decimal("645.00")), afspraak)
    assert (codes(s), s.punten, s.automatisch) == (["iban", "bedrag", "datum"], 90, True)
    assert [r.tekst for r in s.redenen] == [
        "IBAN van de tegenpartij klopt",
        "Bedrag past binnen de marge (€ 650,00)",
        "Datum past bij de afspraak (binnen 3 dagen)",
    ]
    assert (
        score(lijn(), afspraak).redenen[1].tekst
        == "Bedrag is precies het afgesproken bedrag (€ 650,00)"
    )


def test_iban_alone_and_iban_with_amount_do_not(afspraak):
    alleen_iban = score(
        lijn(bedrag=Decimal("500.00"), boekdatum=datetime.date(2026, 2, 15)), afspraak
    )
    assert (codes(alleen_iban), alleen_iban.punten, alleen_iban.automatisch) == (
        ["iban"],
        40,
        False,
    )
    iban_bedrag = score(lijn(boekdatum=datetime.date(2026, 2, 15)), afspraak)
    assert (iban_bedrag.punten, iban_bedrag.automatisch) == (70, False)
    assert DREMPEL_AUTOMATISCH == 80


def test_kenmerk_alone_and_iban_with_all_search_terms_book(afspraak):
    kenmerk = score(
        lijn(
            tegenrekening_iban="",
            betalingskenmerk="1234567",
            bedrag=Decimal("600.00"),
            boekdatum=datetime.date(2026, 2, 15),
        ),
        afspraak,
    )
    assert (codes(kenmerk), kenmerk.punten, kenmerk.automatisch) == (["kenmerk"], 100, True)
    termen = score(
        lijn(
            omschrijving="Huur HUURNUMMER 17 feb",
            bedrag=Decimal("600.00"),
            boekdatum=datetime.date(2026, 2, 15),
        ),
        afspraak,
    )
    assert (codes(termen), termen.punten, termen.automatisch) == (
        ["iban", "zoektermen_alle"],
        80,
        True,
    )


def test_some_search_terms_and_an_amount_far_off(afspraak):
    afspraak.zoektermen = ["huur", "17"]
    s = score(lijn(omschrijving="huur", bedrag=Decimal("100.00")), afspraak)
    assert (codes(s), s.punten) == (["iban", "zoektermen_sommige", "bedrag_anders", "datum"], 35)
    assert s.redenen[2].tekst == "Bedrag wijkt veel af van de afspraak (€ 650,00)"


def test_direction_validity_and_participation_exclude(afspraak):
    assert score(lijn(richting=Richting.INKOMEN), afspraak).uitgesloten
    afspraak.geldig_tot = datetime.date(2026, 1, 15)
    assert codes(score(lijn(), afspraak)) == ["geldigheid"]
    afspraak.geldig_tot = None
    afspraak.deelname.einddatum = datetime.date(2026, 1, 31)
    s = score(lijn(), afspraak)
    assert (s.uitgesloten, s.punten, s.automatisch, codes(s)) == (True, 0, False, ["deelname"])


@pytest.mark.django_db
def test_two_households_with_the_same_landlord_and_rent_are_not_guessed():
    t = TussenrekeningFactory()
    AfspraakFactory(deelname=DeelnameFactory(tussenrekening=t))
    AfspraakFactory(deelname=DeelnameFactory(tussenrekening=t))
    data = camt_document(
        [camt_entry("650.00", "DBIT", "2026-02-02", iban=HUUR_IBAN, remittance="Huur")]
    )
    bb = bankbestand_inlezen(actor=None, tussenrekening=t, bestandsnaam="a.xml", inhoud=data)
    assert bb.automatisch_geboekt == 0
    lijn_ = Banktransactie.objects.get()
    assert lijn_.status == TransactieStatus.OPEN
    kandidaten = suggesties(transactie=lijn_, deelnames=Deelname.objects.all())
    assert [k.score.punten for k in kandidaten] == [90, 90]


@pytest.fixture
def open_lijn(db):
    t = TussenrekeningFactory()
    data = camt_document(
        [camt_entry("650.00", "DBIT", "2026-02-02", iban=HUUR_IBAN, remittance="Huur")]
    )
    bankbestand_inlezen(actor=None, tussenrekening=t, bestandsnaam="a.xml", inhoud=data)
    return Banktransactie.objects.get()


def test_suggestions_are_ranked_and_limited_to_the_visible_households(open_lijn):
    t = open_lijn.tussenrekening
    goed = AfspraakFactory(deelname=DeelnameFactory(tussenrekening=t))
    half = AfspraakFactory(deelname=DeelnameFactory(tussenrekening=t), bedrag=Decimal("700.00"))
    AfspraakFactory(
        deelname=DeelnameFactory(tussenrekening=t), richting=Richting.INKOMEN, rubriek=Rubriek.LOON
    )
    verborgen = AfspraakFactory(deelname=DeelnameFactory(tussenrekening=t))
    zichtbaar = Deelname.objects.exclude(pk=verborgen.deelname_id)
    kandidaten = suggesties(transactie=open_lijn, deelnames=zichtbaar)
    assert [(k.afspraak, k.score.punten) for k in kandidaten] == [(goed, 90), (half, 60)]
    assert suggesties(transactie=open_lijn, deelnames=zichtbaar, limiet=1)[0].afspraak == goed


def test_manual_booking_then_undo_reverses_its_journaalpost(open_lijn):
    afspraak = AfspraakFactory(deelname=DeelnameFactory(tussenrekening=open_lijn.tussenrekening))
    beheerder = BudgetbeheerderFactory()
    post = handmatig_boeken(actor=beheerder, transactie=open_lijn, afspraak=afspraak)
    assert (post.soort, open_lijn.status, open_lijn.afspraak, open_lijn.score) == (
        JournaalSoort.MATCH,
        TransactieStatus.GEBOEKT,
        afspraak,
        90,
    )
    rekening = grootboek.huishoudrekening(afspraak.deelname)
    assert rekening.tegoed == Decimal("-650.00")
    with pytest.raises(BoekenGeweigerd):
        handmatig_boeken(actor=beheerder, transactie=open_lijn, afspraak=afspraak)
    terug = ongedaan_maken(actor=beheerder, transactie=open_lijn)
    assert (terug.soort, terug.draait_terug_id, open_lijn.status, open_lijn.afspraak) == (
        JournaalSoort.ONGEDAAN,
        post.pk,
        TransactieStatus.OPEN,
        None,
    )
    rekening.refresh_from_db()
    assert rekening.tegoed == Decimal("0.00")
    with pytest.raises(BoekenGeweigerd):
        ongedaan_maken(actor=beheerder, transactie=open_lijn)
    assert grootboek.controleren() == []


def test_wrong_direction_is_refused(open_lijn):
    inkomen = AfspraakFactory(
        deelname=DeelnameFactory(tussenrekening=open_lijn.tussenrekening),
        richting=Richting.INKOMEN,
        rubriek=Rubriek.LOON,
    )
    with pytest.raises(BoekenGeweigerd):
        handmatig_boeken(actor=None, transactie=open_lijn, afspraak=inkomen)
    open_lijn.refresh_from_db()
    assert open_lijn.status == TransactieStatus.OPEN


def test_category_booking_and_undo(open_lijn):
    post = op_categorie_boeken(actor=None, transactie=open_lijn, categorie="Bankkosten")
    assert (post.soort, open_lijn.categorie.naam) == (JournaalSoort.CATEGORIE, "Bankkosten")
    ongedaan_maken(actor=None, transactie=open_lijn)
    assert open_lijn.categorie is None
    assert (
        grootboek.categorierekening(
            gemeente=open_lijn.tussenrekening.gemeente, naam="Bankkosten"
        ).saldo
        == 0
    )
    assert grootboek.controleren() == []


@pytest.mark.django_db
def test_undo_of_a_line_booked_in_an_import_chunk_reverses_only_that_line():
    t = TussenrekeningFactory()
    a1 = AfspraakFactory(deelname=DeelnameFactory(tussenrekening=t))
    a2 = AfspraakFactory(
        deelname=DeelnameFactory(tussenrekening=t), tegenrekening_iban="NL91ABNA0417164300"
    )
    data = camt_document(
        [
            camt_entry("650.00", "DBIT", "2026-02-02", iban=HUUR_IBAN, reference="1"),
            camt_entry("650.00", "DBIT", "2026-02-02", iban="NL91ABNA0417164300", reference="2"),
        ]
    )
    bb = bankbestand_inlezen(actor=None, tussenrekening=t, bestandsnaam="a.xml", inhoud=data)
    assert bb.automatisch_geboekt == 2
    eerste = Banktransactie.objects.get(afspraak=a1)
    post = ongedaan_maken(actor=None, transactie=eerste)
    assert (post.soort, post.draait_terug_id) == (JournaalSoort.ONGEDAAN, None)
    assert sorted(
        (m.rekening.soort, m.bedrag) for m in post.mutaties.select_related("rekening")
    ) == [
        ("huishouden", Decimal("-650.00")),
        ("onverdeeld", Decimal("650.00")),
    ]
    assert grootboek.huishoudrekening(a1.deelname).saldo == 0
    assert grootboek.huishoudrekening(a2.deelname).saldo == Decimal("650.00")
    # Booked again by hand and undone again: the MATCH post is reversed as a whole.
    handmatig_boeken(actor=None, transactie=eerste, afspraak=a1)
    tweede = ongedaan_maken(actor=None, transactie=eerste)
    assert Journaalpost.objects.get(pk=tweede.draait_terug_id).soort == JournaalSoort.MATCH
    assert grootboek.controleren() == []


PERSONA = "voorbeeldbankafschriften/Persona 1/Persona 1 Periode 2024{:02d} CAMT.053.xml"


@pytest.mark.django_db
def test_persona_statements_are_matched_to_afspraken_from_their_descriptions():
    """Research/huishoudboekje.md §4.4: Utrecht's persona 1 on NL36ABNA5632579034. The
    afspraken are what a budgetbeheerder would enter from the descriptions; the leefgeld
    line is our own payment (no afspraak) and stays open."""
    t = TussenrekeningFactory()
    deelname = DeelnameFactory(tussenrekening=t, startdatum=datetime.date(2024, 1, 1))

    def afspraak(richting, rubriek, iban, bedrag, dag, termen, **kw):
        return AfspraakFactory(
            deelname=deelname,
            richting=richting,
            rubriek=rubriek,
            tegenrekening_iban=iban,
            bedrag=Decimal(bedrag),
            dag=dag,
            zoektermen=termen,
            geldig_vanaf=datetime.date(2024, 1, 1),
            **kw,
        )

    toeslagen = "NL86INGB0002445588"
    verwacht = {
        afspraak(
            Richting.INKOMEN,
            Rubriek.UITKERING,
            "NL71ABNA0411065785",
            "147.84",
            7,
            ["ZOEKTERMPERSONA1", "Aanvullende uitkering"],
        ): 4,
        afspraak(Richting.INKOMEN, Rubriek.TOESLAGEN, toeslagen, "322.00", 20, ["HUURTOESLAG"]): 4,
        afspraak(Richting.INKOMEN, Rubriek.KINDREGELINGEN, toeslagen, "391.00", 20, ["KIT/Kgb"]): 4,
        afspraak(Richting.INKOMEN, Rubriek.TOESLAGEN, toeslagen, "107.00", 20, ["ZORGTOESLAG"]): 4,
        afspraak(
            Richting.INKOMEN,
            Rubriek.LOON,
            "NL09INGB4826953240",
            "765.32",
            25,
            ["ZOEKTERMPERSONA1", "Loon"],
        ): 4,
        afspraak(
            Richting.UITGAVE,
            Rubriek.HUUR,
            "NL15BNGH0285162624",
            "647.35",
            4,
            ["ZOEKTERMPERSONA1", "huur"],
        ): 4,
        afspraak(
            Richting.UITGAVE,
            Rubriek.ENERGIE,
            "NL54INGB0661901246",
            "350.00",
            1,
            ["ZOEKTERMPERSONA1", "Elektriciteit"],
        ): 4,
        afspraak(
            Richting.UITGAVE,
            Rubriek.WATER,
            "NL94INGB0000869000",
            "41.61",
            1,
            ["ZOEKTERMPERSONA1", "Water"],
            frequentie=Frequentie.KWARTAAL,
            maand=1,
        ): 2,
    }
    geboekt = 0
    for maand in (7, 8, 9, 10):
        bb = bankbestand_inlezen(
            actor=None,
            tussenrekening=t,
            bestandsnaam=f"{maand}.xml",
            inhoud=read_fixture(PERSONA.format(maand)),
        )
        geboekt += bb.automatisch_geboekt
    assert (Banktransactie.objects.count(), geboekt) == (34, 30)
    for a, aantal in verwacht.items():
        assert Banktransactie.objects.filter(afspraak=a).count() == aantal, a.rubriek
    assert set(
        Banktransactie.objects.filter(status=TransactieStatus.OPEN).values_list("bedrag", flat=True)
    ) == {Decimal("25.00")}
    # Money in 4 x (147.84 + 322 + 391 + 107 + 765.32) = 6,932.64; out 4 x (647.35 + 350) + 2 x 41.61 = 4,072.62
    assert grootboek.huishoudrekening(deelname).tegoed == Decimal("6932.64") - Decimal("4072.62")
    assert grootboek.controleren() == []


def test_the_imports_light_afspraken_score_as_the_models_do(db):
    """Matcher.voor loads plain records instead of model instances (speed, see
    docs/huishoudboekje.md); every line must get the same choice, points and reasons as
    a Matcher over the model instances."""
    tussenrekening = TussenrekeningFactory()
    eerste = DeelnameFactory(tussenrekening=tussenrekening)
    tweede = DeelnameFactory(
        tussenrekening=tussenrekening,
        startdatum=datetime.date(2026, 2, 1),
        einddatum=datetime.date(2026, 3, 31),
    )
    AfspraakFactory(deelname=eerste, zoektermen=["huurnummer 17"], betalingskenmerk="1234 567")
    AfspraakFactory(deelname=tweede, bedrag=Decimal("700.00"), marge_dagen=3, zoektermen=["HN 18"])
    AfspraakFactory(
        deelname=eerste,
        richting=Richting.INKOMEN,
        rubriek=Rubriek.UITKERING,
        tegenrekening_iban="NL44RABO0123456789",
        bedrag=Decimal("1200.00"),
        marge_bedrag=Decimal("25.00"),
        dag=25,
        zoektermen=["klantnummer 9"],
        uitgesloten_datums=["2026-03-25"],
        geldig_tot=datetime.date(2026, 5, 31),
    )
    lijnen = [
        lijn(
            boekdatum=datetime.date(2026, maand, dag),
            richting=richting,
            bedrag=Decimal(bedrag),
            tegenrekening_iban=iban,
            omschrijving=tekst,
            betalingskenmerk=kenmerk,
        )
        for maand in (1, 3, 4, 6)
        for dag in (1, 3, 25)
        for richting, bedrag, iban, tekst, kenmerk in (
            (Richting.UITGAVE, "650.00", HUUR_IBAN, "Huur", "1234567"),
            (Richting.UITGAVE, "650.00", HUUR_IBAN, "huurnummer 17 maart", ""),
            (Richting.UITGAVE, "700.00", HUUR_IBAN, "hn 18", ""),
            (Richting.UITGAVE, "330.00", HUUR_IBAN, "HN 18 deel", ""),
            (Richting.INKOMEN, "1210.00", "NL44RABO0123456789", "Klantnummer 9 uitkering", ""),
            (Richting.INKOMEN, "1200.00", "NL44RABO0123456789", "", ""),
        )
    ]
    van, tot = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
    licht = Matcher.voor(tussenrekening, van=van, tot=tot)
    modellen = Matcher(
        Afspraak.objects.filter(deelname__tussenrekening=tussenrekening).select_related("deelname"),
        van=van - datetime.timedelta(days=31),
        tot=tot + datetime.timedelta(days=31),
    )

    def keuze(matcher, t):
        k = matcher.beste(t)
        return None if k is None else (k[0].pk, k[1], k[2])

    uitkomsten = [keuze(modellen, t) for t in lijnen]
    assert [keuze(licht, t) for t in lijnen] == uitkomsten
    assert sum(u is not None for u in uitkomsten) >= 10  # the comparison is not all None
