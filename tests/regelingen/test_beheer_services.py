"""Catalogue management: services (versions, publication, withdrawal, audit) and the
selectors behind the beheer pages (line numbers, preview, the structured edit)."""

import datetime

import pytest
from django.utils import timezone

from perspectief.audit.models import AuditRegel
from perspectief.regelingen import selectors, services
from perspectief.regelingen.constants import CatalogusStatus
from perspectief.regelingen.models import CatalogusVersie
from rekenregels import Catalogus, laad_catalogus

from ..factories import GemeenteFactory
from .conftest import gepubliceerd



def _vandaag():
    return timezone.localdate()


@pytest.mark.django_db
def test_first_concept_starts_from_the_shipped_catalogue_and_is_audited(gemeente, beheerder):
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    assert (versie.versie, versie.status, versie.aangemaakt_door) == (1, CatalogusStatus.CONCEPT, beheerder)
    assert Catalogus.uit_yaml(versie.yaml_tekst).data == laad_catalogus("GM9999").data
    entry = AuditRegel.objects.get(object_type="catalogusversie")
    assert (entry.actie, entry.actor_id, entry.object_id) == ("aanmaken", beheerder.pk, str(versie.pk))
    assert entry.details == {"gemeente_id": gemeente.pk, "versie": 1, "status": "concept", "geldig_vanaf": _vandaag().isoformat()}


@pytest.mark.django_db
def test_next_concept_copies_the_version_valid_today_and_takes_the_next_number(gemeente, beheerder, voorbeeld_yaml):
    eigen = voorbeeld_yaml.replace("per_volwassene_per_jaar: 150", "per_volwassene_per_jaar: 175")
    gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=eigen, geldig_vanaf=datetime.date(2025, 1, 1))
    tweede = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    assert tweede.versie == 2
    assert "per_volwassene_per_jaar: 175" in tweede.yaml_tekst
    # numbering is per gemeente
    andere = GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp")
    assert services.concept_aanmaken(actor=beheerder, gemeente=andere).versie == 1


@pytest.mark.django_db
def test_a_published_version_never_changes(gemeente, beheerder, voorbeeld_yaml):
    versie = gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    with pytest.raises(services.CatalogusBeheerFout, match="kan niet meer veranderen"):
        services.concept_wijzigen(actor=beheerder, versie=versie, yaml_tekst="x: 1", toelichting="")
    with pytest.raises(services.CatalogusBeheerFout, match="kan niet meer veranderen"):
        services.concept_publiceren(actor=beheerder, versie=versie, geldig_vanaf=_vandaag())
    versie.refresh_from_db()
    assert versie.yaml_tekst == voorbeeld_yaml


@pytest.mark.django_db
def test_concept_saved_even_when_invalid_but_not_publishable(gemeente, beheerder):
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    services.concept_wijzigen(actor=beheerder, versie=versie, yaml_tekst="gemeente: 3\r\n", toelichting="Kapot")
    versie.refresh_from_db()
    assert (versie.yaml_tekst, versie.toelichting) == ("gemeente: 3\n", "Kapot")
    entry = AuditRegel.objects.filter(actie="wijzigen").get()
    assert entry.details["geldig"] is False and entry.details["tekst_gewijzigd"] is True
    with pytest.raises(services.CatalogusBeheerFout, match="fout"):
        services.concept_publiceren(actor=beheerder, versie=versie, geldig_vanaf=_vandaag())
    versie.refresh_from_db()
    assert versie.status == CatalogusStatus.CONCEPT


@pytest.mark.django_db
def test_publishing_in_the_past_needs_confirmation(gemeente, beheerder):
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    gisteren = _vandaag() - datetime.timedelta(days=1)
    with pytest.raises(services.CatalogusBeheerFout, match="verleden"):
        services.concept_publiceren(actor=beheerder, versie=versie, geldig_vanaf=gisteren)
    services.concept_publiceren(actor=beheerder, versie=versie, geldig_vanaf=gisteren, verleden_bevestigd=True)
    versie.refresh_from_db()
    assert (versie.status, versie.geldig_vanaf, versie.gepubliceerd_door) == (CatalogusStatus.GEPUBLICEERD, gisteren, beheerder)
    # the catalogue's own valid-from follows the version, so the engine warns nothing
    assert Catalogus.uit_yaml(versie.yaml_tekst).geldig_vanaf == gisteren
    assert "# Minimaregelingen van de fictieve demogemeente" not in versie.yaml_tekst  # started from parsed data
    entry = AuditRegel.objects.filter(actie="wijzigen").get()
    assert entry.details["handeling"] == "publiceren" and entry.details["verleden_bevestigd"] is True


@pytest.mark.django_db
def test_publication_keeps_comments_and_layout(gemeente, beheerder, voorbeeld_yaml):
    morgen = _vandaag() + datetime.timedelta(days=1)
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente, yaml_tekst=voorbeeld_yaml)
    services.concept_publiceren(actor=beheerder, versie=versie, geldig_vanaf=morgen)
    versie.refresh_from_db()
    assert versie.yaml_tekst == voorbeeld_yaml.replace("geldig_vanaf: 2025-01-01", f"geldig_vanaf: {morgen.isoformat()}")


@pytest.mark.django_db
def test_withdraw_published_version_falls_back(gemeente, beheerder, voorbeeld_yaml):
    eerste = gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    tweede_tekst = voorbeeld_yaml.replace("per_volwassene_per_jaar: 150", "per_volwassene_per_jaar: 200")
    tweede = gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=tweede_tekst, geldig_vanaf=datetime.date(2025, 6, 1))
    peildatum = datetime.date(2025, 7, 1)
    bedrag = lambda: selectors.catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum).regeling(  # noqa: E731
        "meedoenregeling_volwassenen")["bedrag"]["per_volwassene_per_jaar"]
    assert bedrag() == 200
    services.versie_intrekken(actor=beheerder, versie=tweede)
    assert bedrag() == 150
    with pytest.raises(services.CatalogusBeheerFout, match="al ingetrokken"):
        services.versie_intrekken(actor=beheerder, versie=tweede)
    assert CatalogusVersie.objects.get(pk=eerste.pk).status == CatalogusStatus.GEPUBLICEERD


# --- the selector the public check uses -------------------------------------------------------


@pytest.mark.django_db
def test_future_version_applies_from_its_valid_from_date_and_not_before(gemeente, beheerder, voorbeeld_yaml):
    gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    verhoogd = voorbeeld_yaml.replace("percentage_bijstandsnorm: 120", "percentage_bijstandsnorm: 125")
    morgen = _vandaag() + datetime.timedelta(days=1)
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente, yaml_tekst=verhoogd)
    services.concept_publiceren(actor=beheerder, versie=versie, geldig_vanaf=morgen)

    def grens(peildatum):
        catalogus = selectors.catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum)
        return catalogus.regeling("meedoenregeling_volwassenen")["voorwaarden"]["inkomen"]["percentage_bijstandsnorm"]

    assert grens(_vandaag()) == 120
    assert grens(morgen) == 125
    assert grens(morgen + datetime.timedelta(days=365)) == 125


@pytest.mark.django_db
def test_selector_reads_and_parses_a_version_once(gemeente, beheerder, voorbeeld_yaml, django_assert_num_queries):
    gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    peildatum = datetime.date(2026, 3, 1)
    eerste = selectors.catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum)
    with django_assert_num_queries(1):  # which version applies; no YAML read, no parse
        tweede = selectors.catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum)
    assert tweede is eerste


@pytest.mark.django_db
def test_concepts_and_withdrawn_versions_never_apply(gemeente, beheerder, voorbeeld_yaml):
    concept = services.concept_aanmaken(actor=beheerder, gemeente=gemeente, yaml_tekst=voorbeeld_yaml)
    services.concept_wijzigen(actor=beheerder, versie=concept, yaml_tekst=voorbeeld_yaml.replace("naam: Voorbeeld\n", "naam: Concept\n", 1), toelichting="")
    assert selectors.catalogus_voor_gemeente(gemeente=gemeente, peildatum=_vandaag()).gemeente["naam"] == "Voorbeeld"


# --- validation with line numbers ---------------------------------------------------------------


def test_each_error_has_the_line_of_its_field(voorbeeld_yaml):
    regels = voorbeeld_yaml.split("\n")
    kapot = voorbeeld_yaml.replace("      per_kind_per_jaar: 300\n", "      per_kind_per_jaar: -3\n", 1)
    kapot = kapot.replace("    naam: Meedoenregeling voor volwassenen\n", "", 1)
    problemen = selectors.controleer_yaml(kapot)
    assert [(p.veld, p.code) for p in problemen] == [
        ("regelingen[2].bedrag.per_kind_per_jaar", "schema_minimum"),
        ("regelingen[3].naam", "schema_required"),
    ]
    kapotte_regels = kapot.split("\n")
    assert kapotte_regels[problemen[0].regel - 1] == "      per_kind_per_jaar: -3"
    # a missing field points at the start of its scheme
    assert kapotte_regels[problemen[1].regel - 1] == "  - code: meedoenregeling_volwassenen"
    assert problemen[0].bericht == "Waarde -3 is te laag (minimaal 0)."
    assert len(regels) == len(kapotte_regels) + 1


def test_yaml_syntax_error_has_its_line():
    problemen = selectors.controleer_yaml("gemeente:\n  naam: [Voorbeeld\nregelingen: []\n")
    assert [(p.veld, p.code) for p in problemen] == [("(bestand)", "yaml")]
    assert problemen[0].regel == 3


def test_flow_mapping_field_points_at_its_line(voorbeeld_yaml):
    kapot = voorbeeld_yaml.replace(
        "inkomen: {percentage_bijstandsnorm: 110,", "inkomen: {percentage_bijstandsnorm: veel,", 1
    )
    (probleem,) = selectors.controleer_yaml(kapot)
    assert probleem.veld == "regelingen[0].voorwaarden.inkomen.percentage_bijstandsnorm"
    assert "percentage_bijstandsnorm: veel" in kapot.split("\n")[probleem.regel - 1]


def test_structured_edit_replaces_one_value_in_place(voorbeeld_yaml):
    nieuw = selectors.yaml_waarde_vervangen(
        voorbeeld_yaml, regeling="meedoenregeling_kinderen", pad="voorwaarden.inkomen.percentage_bijstandsnorm", waarde="140"
    )
    assert nieuw is not None
    assert nieuw.startswith("# Minimaregelingen van de fictieve demogemeente Voorbeeld")
    catalogus = Catalogus.uit_yaml(nieuw)
    assert catalogus.regeling("meedoenregeling_kinderen")["voorwaarden"]["inkomen"]["percentage_bijstandsnorm"] == 140
    assert catalogus.regeling("schoolkosten_basisonderwijs")["voorwaarden"]["inkomen"]["percentage_bijstandsnorm"] == 130
    assert len(nieuw) == len(voorbeeld_yaml)
    assert selectors.yaml_waarde_vervangen(voorbeeld_yaml, regeling="meedoenregeling_kinderen", pad="bedrag.vast_per_jaar", waarde="1") is None
    assert selectors.yaml_waarde_vervangen(voorbeeld_yaml, regeling="bestaat_niet", pad="bedrag.vast_per_jaar", waarde="1") is None


# --- preview ------------------------------------------------------------------------------------


def test_preview_shows_the_changed_amount_side_by_side():
    nu = laad_catalogus("voorbeeld")
    concept = nu.met_wijziging("meedoenregeling_volwassenen", "bedrag.per_volwassene_per_jaar", 300)
    uitkomsten = selectors.voorbeeld_vergelijken(concept=concept, gepubliceerd=nu, peildatum=datetime.date(2026, 3, 1))
    assert [u.huishouden.code for u in uitkomsten] == [
        "alleenstaand_bijstand", "alleenstaande_ouder_deeltijd", "stel_aow", "gezin_minimumloon"]
    assert [u.aantal_veranderd for u in uitkomsten] == [1, 1, 1, 1]
    alleen = {r.code: r for r in uitkomsten[0].regels}
    regel = alleen["meedoenregeling_volwassenen"]
    assert (regel.recht_nu, regel.bedrag_nu, regel.recht_concept, regel.bedrag_concept) == ("ja", 12.5, "ja", 25.0)
    stel = {r.code: r for r in uitkomsten[2].regels}["meedoenregeling_volwassenen"]
    assert (stel.bedrag_nu, stel.bedrag_concept) == (25.0, 50.0)
    assert alleen["voorbeeldpas"].veranderd is False


def test_preview_without_published_version_and_with_a_removed_scheme():
    nu = laad_catalogus("voorbeeld")
    data = {**nu.data, "regelingen": [r for r in nu.regelingen if r["code"] != "voorbeeldpas"]}
    concept = Catalogus.uit_data(data)
    (eerste, *_rest) = selectors.voorbeeld_vergelijken(concept=concept, gepubliceerd=nu, peildatum=datetime.date(2026, 3, 1))
    pas = {r.code: r for r in eerste.regels}["voorbeeldpas"]
    assert (pas.recht_nu, pas.recht_concept, pas.veranderd) == ("ja", None, True)
    (zonder, *_rest) = selectors.voorbeeld_vergelijken(concept=concept, gepubliceerd=None, peildatum=datetime.date(2026, 3, 1))
    assert all(r.recht_nu is None for r in zonder.regels)


# --- demo -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_publishes_the_shipped_catalogue_once(gemeente, voorbeeld_yaml):
    eerste = services.demo_catalogus_publiceren(gemeente_id=gemeente.pk)
    tweede = services.demo_catalogus_publiceren(gemeente_id=gemeente.pk)
    assert eerste.pk == tweede.pk
    assert (eerste.versie, eerste.status, eerste.geldig_vanaf) == (1, CatalogusStatus.GEPUBLICEERD, datetime.date(2025, 1, 1))
    assert eerste.yaml_tekst == voorbeeld_yaml
    assert CatalogusVersie.objects.count() == 1
    assert set(AuditRegel.objects.values_list("actor_gebruikersnaam", flat=True)) == {"systeem (demo_genereren)"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_concepts_get_different_numbers():
    """Two beheerders at the same moment: the numbering lock makes them wait for each other."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write anyway)")
    gemeente = GemeenteFactory()
    start = threading.Barrier(4)
    fouten: list[BaseException] = []

    def maak():
        try:
            start.wait()
            services.concept_aanmaken(actor=None, gemeente=gemeente)
        except BaseException as fout:  # noqa: BLE001 - reported below
            fouten.append(fout)
        finally:
            connections.close_all()

    draden = [threading.Thread(target=maak) for _ in range(4)]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join()
    assert fouten == []
    assert sorted(CatalogusVersie.objects.values_list("versie", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db
@pytest.mark.parametrize("wijziging", [
    {"yaml_tekst": "gemeente: {}"}, {"geldig_vanaf": datetime.date(2020, 1, 1)}, {"versie": 9}, {"status": "concept"},
])
def test_the_database_refuses_to_change_a_published_version(gemeente, beheerder, voorbeeld_yaml, wijziging):
    from django.db import DatabaseError, transaction

    versie = gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    with pytest.raises(DatabaseError, match="verandert niet"), transaction.atomic():
        CatalogusVersie.objects.filter(pk=versie.pk).update(**wijziging)
    # withdrawing is allowed, coming back is not
    CatalogusVersie.objects.filter(pk=versie.pk).update(status=CatalogusStatus.INGETROKKEN)
    with pytest.raises(DatabaseError, match="verandert niet"), transaction.atomic():
        CatalogusVersie.objects.filter(pk=versie.pk).update(status=CatalogusStatus.GEPUBLICEERD)
    # a concept stays editable
    concept = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    assert CatalogusVersie.objects.filter(pk=concept.pk).update(yaml_tekst="x: 1") == 1


def test_text_difference_shows_changed_lines_with_their_numbers(voorbeeld_yaml):
    nieuw = voorbeeld_yaml.replace("      per_volwassene_per_jaar: 150\n", "      per_volwassene_per_jaar: 300\n", 1)
    regel = voorbeeld_yaml.split("\n").index("      per_volwassene_per_jaar: 150") + 1
    verschil = selectors.yaml_verschil(voorbeeld_yaml, nieuw)
    assert [(v.soort, v.regel_oud, v.regel_nieuw, v.tekst.strip()) for v in verschil] == [
        ("context", regel - 1, regel - 1, "bedrag:"),
        ("weg", regel, None, "per_volwassene_per_jaar: 150"),
        ("erbij", None, regel, "per_volwassene_per_jaar: 300"),
        ("context", regel + 1, regel + 1, ""),
    ]
    assert selectors.yaml_verschil(voorbeeld_yaml, voorbeeld_yaml) == []


@pytest.mark.django_db
def test_concept_wijzigen_returns_the_check_of_the_saved_text(gemeente, beheerder, voorbeeld_yaml):
    # Contract: the caller gets the parsed catalogue or the problems, and need not parse again.
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    opgeslagen, controle = services.concept_wijzigen(actor=beheerder, versie=versie, yaml_tekst=voorbeeld_yaml, toelichting="")
    assert opgeslagen.yaml_tekst == voorbeeld_yaml and controle.problemen == []
    assert controle.catalogus.data == Catalogus.uit_yaml(voorbeeld_yaml).data
    opgeslagen, controle = services.concept_wijzigen(actor=beheerder, versie=versie, yaml_tekst="gemeente: 3\r\n", toelichting="")
    assert opgeslagen.yaml_tekst == "gemeente: 3\n" and controle.catalogus is None
    assert controle.problemen == selectors.controleer_yaml("gemeente: 3\n") != []
