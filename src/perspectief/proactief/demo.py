"""Demo data for proactive granting: the demo households as a bijstand export, imported and
screened once, so `make demo` shows candidates. Also used by benchmarks/proactief_run.py."""

from __future__ import annotations

import io
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from perspectief.demo.generator import huishoudens_genereren
from perspectief.toegang.constants import Rol

from .csv_formaat import KOLOMMEN
from .models import Import, Ronde


def demo_csv(*, aantal: int, seed: int | None = None) -> bytes:
    """The demo generator's households (same people, incomes and addresses) in the CSV format.

    Bijstand is left out of the income (the engine computes it); savings, rent and the months
    on a low income are added deterministically."""
    rng = random.Random(7)
    uit = io.StringIO()
    uit.write(";".join(KOLOMMEN) + "\n")
    kwargs = {"aantal": aantal} if seed is None else {"aantal": aantal, "seed": seed}
    for h in huishoudens_genereren(**kwargs):
        huur = f"{rng.randint(450, 900)},00"
        maanden = str(rng.choice([6, 12, 24, 36, 48, 60, 120]))
        for index, p in enumerate(h.personen):
            per_soort = {"loon": 0, "uitkering": 0, "overig": 0}
            for inkomen in p.inkomsten:
                if not inkomen.omschrijving.startswith("Bijstand"):
                    per_soort[inkomen.soort] += inkomen.bruto_per_maand
            vermogen = str(rng.choice([0, 250, 1200, 3000, 8000, 20000])) if p.rol in ("aanvrager", "partner") else ""
            eerste = index == 0
            velden = {
                "huishouden": f"B{h.nummer:07d}", "bsn": p.bsn, "rol": p.rol, "voornamen": p.voornamen,
                "tussenvoegsel": p.tussenvoegsel, "achternaam": p.achternaam,
                "geboortedatum": p.geboortedatum.isoformat(),
                "straat": h.adres.straat if eerste else "", "huisnummer": str(h.adres.huisnummer) if eerste else "",
                "toevoeging": h.adres.toevoeging if eerste else "", "postcode": h.adres.postcode if eerste else "",
                "woonplaats": "Voorbeeld" if eerste else "",
                "loon_bruto_per_maand": str(per_soort["loon"]).replace(".", ","),
                "uitkering_bruto_per_maand": str(per_soort["uitkering"]).replace(".", ","),
                "overig_bruto_per_maand": str(per_soort["overig"]).replace(".", ","),
                "vermogen": vermogen, "woningsoort": "huur" if eerste else "",
                "kale_huur_per_maand": huur if eerste else "", "servicekosten_per_maand": "30,00" if eerste else "",
                "maanden_laag_inkomen": maanden if eerste else "", "lopende_regelingen": "",
            }
            uit.write(";".join(velden[k] for k in KOLOMMEN) + "\n")
    return uit.getvalue().encode()


def demo_proactief_voorbereiden(*, gemeente_id: int, huishoudens: int, seed: int | None = None) -> Ronde | None:
    """Imports the demo households (they exist already: linked by the aanvrager's BSN) as the
    demo klantmanager, and runs one proactive round on today's date."""
    from . import services

    klantmanager = get_user_model().objects.filter(gemeente_id=gemeente_id, rol=Rol.KLANTMANAGER).order_by("pk").first()
    if klantmanager is None:
        return None
    # The demo is rebuilt from scratch: earlier imports and runs of this gemeente go.
    Ronde.objects.filter(gemeente_id=gemeente_id).delete()
    Import.objects.filter(gemeente_id=gemeente_id).delete()
    upload = services.import_aanmaken(
        actor=klantmanager, gemeente=klantmanager.gemeente, team=klantmanager.teams.order_by("pk").first(),
        inhoud=demo_csv(aantal=huishoudens, seed=seed),
    )
    services.import_verwerken(import_id=upload.pk)
    return services.ronde_uitvoeren(actor=klantmanager, gemeente=klantmanager.gemeente, peildatum=timezone.localdate())
