"""The imported population screened in columns gives what `bereken` gives per household;
runs skip what a household receives, opted out of or had a letter for; decisions are made once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from perspectief.proactief import selectors, services
from perspectief.proactief.constants import BesluitSoort
from perspectief.proactief.models import Besluit, Kandidaat, Momentopname, Ontvangst
from perspectief.regelingen.selectors import catalogus_voor_gemeente
from rekenregels import bereken

from .conftest import PEILDATUM, importeer


@pytest.mark.django_db
def test_columns_screen_like_bereken_for_every_household(km, voorbeeld_csv):
    importeer(km, voorbeeld_csv)
    catalogus = catalogus_voor_gemeente(gemeente=km.gemeente, peildatum=PEILDATUM)
    gescreend = selectors.screening(gemeente_id=km.gemeente_id, peildatum=PEILDATUM, catalogus=catalogus)
    posities = {int(h): i for i, h in enumerate(gescreend.huishouden_ids)}
    vergeleken = 0
    for opname in Momentopname.objects.all():
        invoer = selectors.huishouden_als_invoer(opname=opname, peildatum=PEILDATUM, gemeente_code="voorbeeld")
        resultaat = {r["code"]: r for r in bereken(invoer, catalogus=catalogus, uitleg=False)["regelingen"]}
        for code, uitkomst in gescreend.gemeentelijk.items():
            i = posities[opname.huishouden_id]
            verwacht = resultaat[code]
            assert ("nee", "ja", "misschien")[int(uitkomst.recht[i])] == verwacht["recht"], (opname.sleutel, code)
            if verwacht["recht"] == "ja":
                assert round(float(uitkomst.bedrag_per_jaar[i]), 2) == verwacht["bedrag_per_jaar"], (opname.sleutel, code)
            vergeleken += 1
    assert vergeleken == 5 * len(catalogus.regelingen)


def _kandidaten(ronde, code):
    return set(Kandidaat.objects.filter(ronde=ronde, regeling=code).values_list("huishouden__naam", flat=True))


@pytest.mark.django_db
def test_runs_skip_received_opted_out_and_recently_decided(km, voorbeeld_csv):
    importeer(km, voorbeeld_csv)
    eerste = services.ronde_uitvoeren(actor=km, gemeente=km.gemeente, peildatum=PEILDATUM)
    assert _kandidaten(eerste, "voorbeeldpas") == {"el Amrani", "de Vries", "Bakker"}
    assert _kandidaten(eerste, "collectieve_zorgverzekering") == {"el Amrani", "de Vries", "Bakker", "Jansen"}
    per_naam = {k.huishouden.naam: k for k in Kandidaat.objects.filter(ronde=eerste, regeling="voorbeeldpas")}
    # The reason: income and limit from the engine.
    amrani = per_naam["el Amrani"]
    assert amrani.inkomen_per_maand is not None and amrani.inkomen_per_maand <= amrani.inkomensgrens_per_maand
    assert amrani.bedrag_per_jaar == 225  # 3 persons x 75

    services.besluit_nemen(actor=km, kandidaat=amrani, soort=BesluitSoort.TOEKENNEN)
    services.besluit_nemen(actor=km, kandidaat=per_naam["de Vries"], soort=BesluitSoort.NIET_DOEN, reden="Heeft al een pas van de werkgever")
    jansen = Kandidaat.objects.get(ronde=eerste, regeling="collectieve_zorgverzekering", huishouden__naam="Jansen")
    services.afmelding_vastleggen(actor=km, huishouden_id=jansen.huishouden_id, regeling="collectieve_zorgverzekering", via="klantmanager")
    services.afmelding_vastleggen(actor=km, huishouden_id=per_naam["Bakker"].huishouden_id, via="klantmanager")

    tweede = services.ronde_uitvoeren(actor=km, gemeente=km.gemeente, peildatum=PEILDATUM)
    assert _kandidaten(tweede, "voorbeeldpas") == set()
    assert _kandidaten(tweede, "collectieve_zorgverzekering") == {"el Amrani", "de Vries"}
    assert not Kandidaat.objects.filter(ronde=tweede, huishouden__naam="Bakker").exists()
    assert tweede.overgeslagen_afmelding > 0
    # Jansen opted out of one scheme only: still listed for others.
    assert Kandidaat.objects.filter(ronde=tweede, huishouden__naam="Jansen").exclude(regeling="collectieve_zorgverzekering").exists()


@pytest.mark.django_db
def test_a_decision_is_made_once_and_a_grant_only_once(km, voorbeeld_csv):
    importeer(km, voorbeeld_csv)
    eerste = services.ronde_uitvoeren(actor=km, gemeente=km.gemeente, peildatum=PEILDATUM)
    kandidaat = Kandidaat.objects.filter(ronde=eerste, regeling="voorbeeldpas").first()
    services.besluit_nemen(actor=km, kandidaat=kandidaat, soort=BesluitSoort.BRIEF)
    with pytest.raises(ValidationError) as fout:
        services.besluit_nemen(actor=km, kandidaat=kandidaat, soort=BesluitSoort.TOEKENNEN)
    assert fout.value.messages == ["Over deze regeling voor dit huishouden is al besloten."]
    # The database itself refuses a second decision on a candidate and a second grant.
    with pytest.raises(IntegrityError), transaction.atomic():
        Besluit.objects.create(kandidaat=kandidaat, huishouden_id=kandidaat.huishouden_id, regeling="voorbeeldpas",
                               soort=BesluitSoort.TOEKENNEN, bedrag_per_jaar=1)
    # The same household is a candidate for another scheme in two runs (no decision yet in between).
    tweede_ronde = services.ronde_uitvoeren(actor=km, gemeente=km.gemeente, peildatum=PEILDATUM)
    code = "collectieve_zorgverzekering"
    tweede_kandidaat = Kandidaat.objects.get(ronde=eerste, huishouden_id=kandidaat.huishouden_id, regeling=code)
    derde = Kandidaat.objects.get(ronde=tweede_ronde, huishouden_id=kandidaat.huishouden_id, regeling=code)
    services.besluit_nemen(actor=km, kandidaat=tweede_kandidaat, soort=BesluitSoort.TOEKENNEN)
    with pytest.raises(ValidationError) as fout:
        services.besluit_nemen(actor=km, kandidaat=derde, soort=BesluitSoort.TOEKENNEN)
    assert fout.value.messages == ["Deze regeling is al toegekend aan dit huishouden, of er is al over besloten."]
    assert Ontvangst.objects.filter(huishouden_id=kandidaat.huishouden_id, regeling=code).count() == 1
    assert Besluit.objects.filter(huishouden_id=kandidaat.huishouden_id, regeling=code).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Besluit.objects.create(kandidaat=derde, huishouden_id=kandidaat.huishouden_id, regeling=code,
                               soort=BesluitSoort.TOEKENNEN, bedrag_per_jaar=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Besluit.objects.create(kandidaat=derde, huishouden_id=kandidaat.huishouden_id, regeling=code,
                               soort=BesluitSoort.NIET_DOEN, reden="", bedrag_per_jaar=1)


@pytest.mark.django_db
def test_what_if_counts_and_suppresses_small_groups(km, voorbeeld_csv):
    importeer(km, voorbeeld_csv)
    catalogus = catalogus_voor_gemeente(gemeente=km.gemeente, peildatum=PEILDATUM)
    keuze = next(k for k in selectors.wat_als_keuzes(catalogus=catalogus) if k.sleutel == "voorbeeldpas|bedrag.per_persoon_per_jaar")
    assert (keuze.huidig, keuze.stappen) == (75.0, (37.5, 56.25, 75.0, 93.75, 112.5))
    punten = selectors.wat_als(gemeente_id=km.gemeente_id, peildatum=PEILDATUM, catalogus=catalogus, keuze=keuze, waarden=[75.0])
    assert [(p.huishoudens, p.kosten_per_jaar, p.huidig) for p in punten] == [(None, None, True)]  # 4 households < 10


@pytest.mark.django_db
def test_what_if_over_more_than_ten_households(km):
    regels = ["huishouden;bsn;rol;voornamen;achternaam;geboortedatum;straat;huisnummer;postcode;loon_bruto_per_maand;vermogen;kale_huur_per_maand"]
    from perspectief.demo.generator import bsn_testreeks

    bsns = bsn_testreeks()
    for nummer in range(40):
        loon = 500 + nummer * 50  # 500..2450 gross per month
        regels.append(f"W{nummer};{next(bsns)};aanvrager;Test;Persoon{nummer};1980-01-01;Teststraat;{nummer + 1};9999 AA;{loon};0;600")
    importeer(km, ("\n".join(regels) + "\n").encode())
    catalogus = catalogus_voor_gemeente(gemeente=km.gemeente, peildatum=PEILDATUM)
    keuze = next(k for k in selectors.wat_als_keuzes(catalogus=catalogus) if k.sleutel == "voorbeeldpas|voorwaarden.inkomen.percentage_bijstandsnorm")
    punten = selectors.wat_als(gemeente_id=km.gemeente_id, peildatum=PEILDATUM, catalogus=catalogus, keuze=keuze, waarden=[100.0, 130.0, 150.0])
    aantallen = [p.huishoudens for p in punten]
    assert all(a is not None for a in aantallen), aantallen
    assert aantallen[0] < aantallen[1] < aantallen[2]
    assert [p.kosten_per_jaar for p in punten] == [a * 75.0 for a in aantallen]
    # The catalogue itself is unchanged by the what-if.
    assert catalogus.regeling("voorbeeldpas")["voorwaarden"]["inkomen"]["percentage_bijstandsnorm"] == 130


@pytest.mark.django_db
def test_a_failed_run_is_marked_and_not_shown(km, voorbeeld_csv, monkeypatch):
    importeer(km, voorbeeld_csv)
    monkeypatch.setattr(selectors, "screening", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("kapot")))
    with pytest.raises(RuntimeError):
        services.ronde_uitvoeren(actor=km, gemeente=km.gemeente, peildatum=PEILDATUM)
    from perspectief.proactief.models import Ronde

    assert list(Ronde.objects.values_list("status", flat=True)) == ["mislukt"]
    assert selectors.laatste_ronde(gemeente_id=km.gemeente_id) is None
