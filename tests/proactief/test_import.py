"""CSV import: the format, bad rows, whole-file refusals, idempotency, linking households."""

import pytest

from perspectief.huishoudens.bsn import bsn_blind_index, bsn_decrypt
from perspectief.huishoudens.models import Huishouden, Inkomen, Persoon
from perspectief.proactief import csv_formaat
from perspectief.proactief.constants import ImportStatus
from perspectief.proactief.models import Import, Momentopname, Ontvangst
from tests.factories import AdresFactory, HuishoudenFactory, PersoonFactory

from .conftest import importeer

KOP = "huishouden;bsn;rol;voornamen;achternaam;geboortedatum;straat;huisnummer;postcode;loon_bruto_per_maand;vermogen"


def _csv(*regels: str, kop: str = KOP) -> bytes:
    return ("\n".join((kop, *regels)) + "\n").encode()


@pytest.mark.django_db
def test_sample_file_imports_every_household(km, voorbeeld_csv):
    upload = importeer(km, voorbeeld_csv)
    assert (upload.status, upload.fouten) == (ImportStatus.KLAAR, [])
    assert (upload.aantal_regels, upload.aantal_huishoudens, upload.nieuw, upload.overgeslagen) == (10, 5, 5, 0)
    assert Huishouden.objects.count() == 5
    assert set(Huishouden.objects.values_list("team_id", flat=True)) == {km.teams.get().pk}
    aanvrager = Persoon.objects.get(bsn_index=bsn_blind_index("980000002"))
    assert bsn_decrypt(aanvrager.bsn_versleuteld) == "980000002"
    assert aanvrager.huishouden.naam == "el Amrani"
    assert aanvrager.huishouden.aantal_personen == 3
    assert aanvrager.huishouden.adres.postcode == "9999 AA"
    opname = Momentopname.objects.get(sleutel="H-1002")
    assert opname.personen[0] == [0, "1985-06-30", 2100.0, 0.0, 0.0, 800.0]
    assert opname.personen[2] == [2, "2020-01-15", 0.0, 0.0, 0.0, None]
    assert (str(opname.kale_huur_per_maand), str(opname.servicekosten_per_maand), opname.maanden_laag_inkomen) == ("750.00", "40.00", 12)
    assert list(Inkomen.objects.filter(persoon__huishouden=opname.huishouden).values_list("soort", "bruto_per_maand")) == [("loon", pytest.approx(2100))]
    assert list(Ontvangst.objects.values_list("regeling", "bron")) == [("voorbeeldpas", "import")]
    assert upload.inhoud_versleuteld is None  # the file with BSNs is not kept


@pytest.mark.django_db
def test_same_file_again_adds_nothing(km, voorbeeld_csv):
    importeer(km, voorbeeld_csv)
    tweede = importeer(km, voorbeeld_csv)
    assert tweede.status == ImportStatus.AL_INGELEZEN
    assert tweede.melding.startswith("Dit bestand is al ingelezen op ")
    assert tweede.melding.endswith(". Er is niets toegevoegd.")
    assert (Huishouden.objects.count(), Persoon.objects.count(), Momentopname.objects.count()) == (5, 10, 5)


@pytest.mark.django_db
def test_same_households_in_a_new_file_are_recognised_by_key(km, voorbeeld_csv):
    importeer(km, voorbeeld_csv)
    gewijzigd = voorbeeld_csv.replace(b"1500,00;0;0;300", b"1600,00;0;0;300")  # H-1003 earns more
    upload = importeer(km, gewijzigd.replace(b"\r\n", b"\n") + b"\n")
    assert (upload.nieuw, upload.gekoppeld, upload.bijgewerkt, upload.ongewijzigd) == (0, 0, 1, 4)
    assert Huishouden.objects.count() == 5
    assert Momentopname.objects.get(sleutel="H-1003").personen[0][2] == 1600.0


@pytest.mark.django_db
def test_known_household_is_linked_by_the_aanvragers_bsn(km, km_team, voorbeeld_csv):
    bekend = HuishoudenFactory(team=km_team, naam="Jansen", adres=AdresFactory())
    PersoonFactory(huishouden=bekend, rol="aanvrager", voornamen="Kevin", achternaam="Jansen", bsn="980000075")
    upload = importeer(km, voorbeeld_csv)
    assert (upload.nieuw, upload.gekoppeld) == (4, 1)
    assert Momentopname.objects.get(sleutel="H-1003").huishouden_id == bekend.pk
    assert Huishouden.objects.count() == 5


@pytest.mark.django_db
def test_bad_rows_are_reported_and_their_households_skipped(km):
    inhoud = _csv(
        "A;980000002;aanvrager;Fatima;Amrani;1988-04-12;Lindelaan;12;9999 AA;0;100",  # 2: good
        "A;980000014;kind;Yasmin;Amrani;2018-02-03;;;;;",  # 3: good
        "B;123456789;aanvrager;Jan;Smit;1980-01-01;Kerkstraat;1;9999 AB;0;0",  # 4: BSN fails 11-proef
        "C;980000038;aanvrager;Ali;Demir;31-02-1980;Kerkstraat;2;9999 AB;0;0",  # 5: date does not exist
        "D;980000051;oma;Els;Boer;1950-01-01;Kerkstraat;3;9999 AB;0;0",  # 6: unknown role
        "E;980000063;aanvrager;Piet;Klaas;1970-01-01;Kerkstraat;4;99999;0;0",  # 7: bad postcode
        "F;980000075;aanvrager;Rik;Mol;1970-01-01;Kerkstraat;5;9999 AB;-5;0",  # 8: negative amount
        "G;980000087;aanvrager;Tess;Mol;1970-01-01;Kerkstraat;6;9999 AB;veel;0",  # 9: not an amount
        "H;980000099;kind;Bo;Mol;2015-01-01;;;;;",  # 10: household without aanvrager
        "A;980000002;partner;Dubbel;Amrani;1988-04-12;;;;0;0",  # 11: BSN twice -> A skipped
        "I;980000105;aanvrager;Lin;Vos;1975-05-05;Kerkstraat;7;9999 AB;1000,50;",  # 12: good
        "J;980000117;aanvrager;Kort;Vos;1975-05-05;Kerkstraat",  # 13: too few columns
    )
    upload = importeer(km, inhoud)
    assert upload.status == ImportStatus.KLAAR
    assert upload.fouten == [
        {"regel": 4, "reden": "Het BSN klopt niet: het heeft geen 9 cijfers of haalt de elfproef niet."},
        {"regel": 4, "reden": "Daarom is huishouden 'B' helemaal niet ingelezen (ook de goede regels niet)."},
        {"regel": 5, "reden": "De geboortedatum '31-02-1980' bestaat niet."},
        {"regel": 5, "reden": "Daarom is huishouden 'C' helemaal niet ingelezen (ook de goede regels niet)."},
        {"regel": 6, "reden": "De rol 'oma' kennen we niet. Kies aanvrager, partner, kind of medebewoner."},
        {"regel": 6, "reden": "Daarom is huishouden 'D' helemaal niet ingelezen (ook de goede regels niet)."},
        {"regel": 7, "reden": "De postcode '99999' klopt niet. Een postcode is 4 cijfers en 2 letters, zoals 1234 AB."},
        {"regel": 7, "reden": "Daarom is huishouden 'E' helemaal niet ingelezen (ook de goede regels niet)."},
        {"regel": 8, "reden": "Het loon is negatief (-5). Een bedrag kan niet lager zijn dan 0."},
        {"regel": 8, "reden": "Daarom is huishouden 'F' helemaal niet ingelezen (ook de goede regels niet)."},
        {"regel": 9, "reden": "Het loon 'veel' is geen bedrag. Schrijf het zoals 1234,56."},
        {"regel": 9, "reden": "Daarom is huishouden 'G' helemaal niet ingelezen (ook de goede regels niet)."},
        {"regel": 10, "reden": "Huishouden 'H' heeft geen aanvrager. Elk huishouden heeft precies één aanvrager."},
        {"regel": 10, "reden": "Daarom is huishouden 'H' helemaal niet ingelezen (ook de goede regels niet)."},
        {"regel": 11, "reden": "Dit BSN staat ook op regel 2. Een persoon mag maar één keer in het bestand staan."},
        {"regel": 11, "reden": "Daarom is huishouden 'A' helemaal niet ingelezen (ook de goede regels niet)."},
        {"regel": 13, "reden": "Deze regel heeft 7 kolommen, de kop heeft er 11."},
        {"regel": 13, "reden": "Daarom is huishouden 'J' helemaal niet ingelezen (ook de goede regels niet)."},
    ]
    assert (upload.aantal_regels, upload.aantal_huishoudens, upload.nieuw, upload.overgeslagen) == (12, 1, 1, 9)
    assert list(Momentopname.objects.values_list("sleutel", flat=True)) == ["I"]
    assert Momentopname.objects.get().personen == [[0, "1975-05-05", 1000.5, 0.0, 0.0, None]]
    assert Persoon.objects.count() == 1
    # The same file again adds nothing.
    again = importeer(km, inhoud)
    assert again.status == ImportStatus.AL_INGELEZEN
    assert (Persoon.objects.count(), Momentopname.objects.count()) == (1, 1)


@pytest.mark.parametrize(("inhoud", "melding"), [
    (b"", "Het bestand is leeg. Er is niets ingelezen."),
    (b"%PDF-1.7\n\x00\x01\x02binary", "Dit is geen CSV-bestand (het bevat geen gewone tekst). Er is niets ingelezen."),
    ("huishouden;bsn\nA;1\n".encode("utf-16"), "Dit is geen CSV-bestand (het bevat geen gewone tekst). Er is niets ingelezen."),
    (b"naam,bsn\xff\n", "Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8' en probeer het opnieuw. Er is niets ingelezen."),
    (b"Beste klantmanager\nhier is het bestand\n", "Dit lijkt geen CSV-bestand: de eerste regel heeft geen kolommen gescheiden door ; of ,. Er is niets ingelezen."),
    (b"huishouden;bsn;rol;naam\nA;1;aanvrager;Jan\n",
     ("Deze kolommen ontbreken: voornamen, achternaam, geboortedatum, straat, huisnummer, postcode. "
      "Deze kolommen kennen we niet: naam. Er is niets ingelezen. Kijk in de handleiding welke kolommen nodig zijn.")),
    (_csv(), "Het bestand heeft alleen een kop en geen regels met personen. Er is niets ingelezen."),
])
def test_files_that_are_refused_whole(inhoud, melding):
    with pytest.raises(csv_formaat.BestandGeweigerd) as fout:
        csv_formaat.lees(inhoud)
    assert str(fout.value) == melding


@pytest.mark.django_db
def test_refused_file_stores_nothing(km):
    with pytest.raises(csv_formaat.BestandGeweigerd):
        importeer(km, b"huishouden;bsn;rol\nA;980000002;aanvrager\n")
    assert (Import.objects.count(), Huishouden.objects.count(), Momentopname.objects.count()) == (0, 0, 0)


def test_comma_separated_with_bom_and_quoted_amounts():
    inhoud = "\ufeff" + KOP.replace(";", ",") + '\nA,980000002,Aanvrager,Fatima,Amrani,1988-04-12,Lindelaan,12,9999aa,"1.234,56",\n'
    gelezen = csv_formaat.lees(inhoud.encode())
    assert gelezen.fouten == []
    [huishouden] = gelezen.huishoudens
    assert (huishouden.postcode, str(huishouden.aanvrager.loon), huishouden.aanvrager.vermogen) == ("9999 AA", "1234.56", None)


def test_unknown_current_scheme_is_a_bad_row():
    kop = KOP + ";lopende_regelingen"
    gelezen = csv_formaat.lees(_csv("A;980000002;aanvrager;F;A;1988-04-12;L;1;9999 AA;0;0;voorbeeldpas|fietsplan", kop=kop),
                               bekende_regelingen=frozenset({"voorbeeldpas"}))
    assert gelezen.fouten[0] == {"regel": 2, "reden": "Deze regeling kennen we niet: fietsplan. Gebruik de code uit de regelingenlijst."}
    assert gelezen.huishoudens == []


@pytest.mark.parametrize("inhoud", [b"\r\x01", b"\r\n\r\n", b'"a\nb";c\n'])
def test_odd_first_lines_are_refused_whole(inhoud):
    with pytest.raises(csv_formaat.BestandGeweigerd):
        csv_formaat.lees(inhoud)


def test_old_mac_line_endings_are_read():
    inhoud = (KOP + "\rA;980000002;aanvrager;F;A;1988-04-12;L;1;9999 AA;0;0\r").encode()
    gelezen = csv_formaat.lees(inhoud)
    assert (gelezen.fouten, [h.sleutel for h in gelezen.huishoudens]) == ([], ["A"])
