"""Properties of the CSV reader (hypothesis): any bytes give a refusal or a result, never a
crash; valid rows read back exactly; every bad row is reported with its own line number."""

import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from perspectief.demo.generator import bsn_testreeks
from perspectief.proactief import csv_formaat

KOP = "huishouden;bsn;rol;voornamen;achternaam;geboortedatum;straat;huisnummer;postcode;loon_bruto_per_maand;vermogen"
BSNS = [bsn for bsn, _ in zip(bsn_testreeks(), range(200), strict=False)]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_refused_or_read(inhoud):
    try:
        resultaat = csv_formaat.lees(inhoud)
    except csv_formaat.BestandGeweigerd as fout:
        assert str(fout).endswith(("Er is niets ingelezen.", "welke kolommen nodig zijn."))
    else:
        assert resultaat.aantal_regels >= 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=";,\"\n\r abc0123456789-", max_size=300))
def test_any_text_after_a_valid_header_never_crashes(staart):
    try:
        resultaat = csv_formaat.lees((KOP + "\n" + staart).encode())
    except csv_formaat.BestandGeweigerd:
        return
    regels = [f["regel"] for f in resultaat.fouten]
    assert regels == sorted(regels)
    assert all(r >= 2 for r in regels)


_persoon = st.fixed_dictionaries({
    "geboortedatum": st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2024, 12, 31)),
    "loon": st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False),
    "vermogen": st.one_of(st.none(), st.decimals(min_value=0, max_value=999999, places=2, allow_nan=False, allow_infinity=False)),
    "komma": st.booleans(),
})


@settings(max_examples=100, deadline=None)
@given(st.lists(_persoon, min_size=1, max_size=30), st.integers(min_value=0, max_value=29))
def test_valid_rows_read_back_and_a_bad_row_skips_only_its_household(personen, fout_index):
    fout_index %= len(personen)
    regels = [KOP]
    def bedrag(waarde, komma):
        return "" if waarde is None else (str(waarde).replace(".", ",") if komma else str(waarde))

    for nummer, p in enumerate(personen):
        postcode = "9999 ZZ" if nummer != fout_index else "99999"
        regels.append(";".join([
            f"H{nummer}", BSNS[nummer], "aanvrager", "Test", "Persoon", p["geboortedatum"].isoformat(), "Straat",
            str(nummer + 1), postcode, bedrag(p["loon"], p["komma"]), bedrag(p["vermogen"], p["komma"]),
        ]))
    resultaat = csv_formaat.lees(("\n".join(regels) + "\n").encode())
    assert [f["regel"] for f in resultaat.fouten] == [fout_index + 2, fout_index + 2]
    assert resultaat.overgeslagen == 1
    gelezen = {h.sleutel: h for h in resultaat.huishoudens}
    assert len(gelezen) == len(personen) - 1
    for nummer, p in enumerate(personen):
        if nummer == fout_index:
            assert f"H{nummer}" not in gelezen
            continue
        aanvrager = gelezen[f"H{nummer}"].aanvrager
        assert aanvrager.geboortedatum == p["geboortedatum"]
        assert aanvrager.loon == Decimal(p["loon"]).quantize(Decimal("0.01"))
        assert aanvrager.vermogen == (None if p["vermogen"] is None else Decimal(p["vermogen"]).quantize(Decimal("0.01")))
