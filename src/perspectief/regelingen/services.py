"""Writing the scheme catalogue: concepts, publication and withdrawal. Every change is
audit-logged; a published version is never changed again (a change is a new version)."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from rekenregels import Catalogus, CatalogusFout, laad_catalogus, voorbeeld_catalogus_tekst

from .constants import CatalogusStatus
from .models import CatalogusVersie
from .selectors import YamlControle, catalogusversie_geldig, yaml_controleren

OBJECT_TYPE = "catalogusversie"
_GELDIG_VANAF_REGEL = re.compile(r"^geldig_vanaf:[^\n]*$", re.MULTILINE)


class CatalogusBeheerFout(Exception):
    """A change the catalogue does not allow; the message is Dutch and meant for the user."""


def _gebruiker(actor):
    """The account to store as author: only a real, saved user (not the system)."""
    return actor if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) else None


def _details(versie: CatalogusVersie, **extra) -> dict:
    return {
        "gemeente_id": versie.gemeente_id,
        "versie": versie.versie,
        "status": versie.status,
        "geldig_vanaf": versie.geldig_vanaf.isoformat(),
        **extra,
    }


def _startpunt(gemeente, vandaag: dt.date) -> str:
    """The YAML a new concept starts from: the version valid today, else the newest
    version, else the catalogue shipped with rekenregels for the gemeente's CBS code."""
    geldig = catalogusversie_geldig(gemeente_id=gemeente.pk, peildatum=vandaag)
    if geldig is None:
        geldig = CatalogusVersie.objects.filter(gemeente_id=gemeente.pk).order_by("-versie").first()
    if geldig is not None:
        return geldig.yaml_tekst
    try:
        verscheept = laad_catalogus(gemeente.cbs_code)
    except KeyError:
        verscheept = None
    if verscheept is not None:
        return yaml.safe_dump(verscheept.data, sort_keys=False, allow_unicode=True, width=100)
    return yaml.safe_dump(
        {
            "gemeente": {"naam": gemeente.naam, "code": gemeente.slug, "cbs_code": gemeente.cbs_code},
            "geldig_vanaf": vandaag.isoformat(),
            "regelingen": [],
        },
        sort_keys=False,
        allow_unicode=True,
    )


def _volgend_nummer(gemeente) -> int:
    # Lock the gemeente's row and its versions so two beheerders cannot take the same
    # number (the gemeente row also serialises the very first version, when there are no
    # version rows to lock yet). The unique constraint is the last line of defence.
    from .selectors import _gemeenten

    _gemeenten().select_for_update().filter(pk=gemeente.pk).values_list("pk", flat=True).first()
    bestaande = list(
        CatalogusVersie.objects.select_for_update().filter(gemeente_id=gemeente.pk).values_list("versie", flat=True)
    )
    return max(bestaande, default=0) + 1


@transaction.atomic
def concept_aanmaken(*, actor, gemeente, yaml_tekst: str | None = None, toelichting: str = "") -> CatalogusVersie:
    """A new concept version, by default a copy of the version that applies today."""
    vandaag = timezone.localdate()
    tekst = yaml_tekst if yaml_tekst is not None else _startpunt(gemeente, vandaag)
    versie = CatalogusVersie.objects.create(
        gemeente=gemeente,
        versie=_volgend_nummer(gemeente),
        yaml_tekst=tekst,
        geldig_vanaf=vandaag,
        status=CatalogusStatus.CONCEPT,
        toelichting=toelichting,
        aangemaakt_door=_gebruiker(actor),
    )
    audit_record(actor=actor, actie=Actie.AANMAKEN, object_type=OBJECT_TYPE, object_id=versie.pk, details=_details(versie))
    return versie


def _vergrendeld_concept(versie: CatalogusVersie) -> CatalogusVersie:
    versie = CatalogusVersie.objects.select_for_update().get(pk=versie.pk)
    if versie.status != CatalogusStatus.CONCEPT:
        raise CatalogusBeheerFout(
            _("Versie %(versie)s is %(status)s en kan niet meer veranderen. Maak een nieuw concept.")
            % {"versie": versie.versie, "status": versie.get_status_display().lower()}
        )
    return versie


@transaction.atomic
def concept_wijzigen(
    *, actor, versie: CatalogusVersie, yaml_tekst: str, toelichting: str
) -> tuple[CatalogusVersie, YamlControle]:
    """Saves the text of a concept, valid or not (the beheerder may save work in progress).
    Returns the saved version and the check of its text, so the caller need not parse again."""
    versie = _vergrendeld_concept(versie)
    tekst = yaml_tekst.replace("\r\n", "\n")
    gewijzigd = tekst != versie.yaml_tekst
    versie.yaml_tekst = tekst
    versie.toelichting = toelichting
    versie.save(update_fields=["yaml_tekst", "toelichting"])
    controle = yaml_controleren(tekst)
    audit_record(
        actor=actor, actie=Actie.WIJZIGEN, object_type=OBJECT_TYPE, object_id=versie.pk,
        details=_details(versie, tekst_gewijzigd=gewijzigd, geldig=not controle.problemen),
    )
    return versie, controle


def _met_geldig_vanaf(tekst: str, geldig_vanaf: dt.date) -> str:
    """The catalogue's own `geldig_vanaf` set to the publication date (comments stay)."""
    return _GELDIG_VANAF_REGEL.sub(f"geldig_vanaf: {geldig_vanaf.isoformat()}", tekst, count=1)


@transaction.atomic
def concept_publiceren(
    *, actor, versie: CatalogusVersie, geldig_vanaf: dt.date, verleden_bevestigd: bool = False
) -> CatalogusVersie:
    """Publishes a valid concept from `geldig_vanaf`. A date in the past needs an explicit
    confirmation (it changes outcomes that residents may already have seen)."""
    versie = _vergrendeld_concept(versie)
    if geldig_vanaf < timezone.localdate() and not verleden_bevestigd:
        raise CatalogusBeheerFout(
            _("De datum ligt in het verleden. Bevestig dat de regels ook al voor vandaag moeten gelden.")
        )
    tekst = _met_geldig_vanaf(versie.yaml_tekst, geldig_vanaf)
    try:
        Catalogus.uit_yaml(tekst)
    except CatalogusFout as fout:
        raise CatalogusBeheerFout(
            _("Deze versie heeft nog %(aantal)s fout(en) en kan niet worden gepubliceerd.") % {"aantal": len(fout.fouten)}
        ) from None
    versie.yaml_tekst = tekst
    versie.geldig_vanaf = geldig_vanaf
    versie.status = CatalogusStatus.GEPUBLICEERD
    versie.gepubliceerd_door = _gebruiker(actor)
    versie.gepubliceerd_op = timezone.now()
    versie.save(update_fields=["yaml_tekst", "geldig_vanaf", "status", "gepubliceerd_door", "gepubliceerd_op"])
    audit_record(
        actor=actor, actie=Actie.WIJZIGEN, object_type=OBJECT_TYPE, object_id=versie.pk,
        details=_details(versie, handeling="publiceren", verleden_bevestigd=verleden_bevestigd),
    )
    return versie


@transaction.atomic
def versie_intrekken(*, actor, versie: CatalogusVersie) -> CatalogusVersie:
    """Withdraws a concept or a published version. The text stays, for the record."""
    versie = CatalogusVersie.objects.select_for_update().get(pk=versie.pk)
    if versie.status == CatalogusStatus.INGETROKKEN:
        raise CatalogusBeheerFout(_("Versie %(versie)s is al ingetrokken.") % {"versie": versie.versie})
    vorige = versie.status
    versie.status = CatalogusStatus.INGETROKKEN
    versie.save(update_fields=["status"])
    audit_record(
        actor=actor, actie=Actie.WIJZIGEN, object_type=OBJECT_TYPE, object_id=versie.pk,
        details=_details(versie, handeling="intrekken", vorige_status=vorige),
    )
    return versie


VOORBEELD_GELDIG_VANAF = dt.date(2025, 1, 1)


class _DemoSysteem:
    """The actor of the demo data in the audit log (no account)."""

    pk = None
    is_authenticated = True
    rol = "systeem"
    soort = "systeem"

    def get_username(self) -> str:
        return "systeem (demo_genereren)"


@transaction.atomic
def demo_catalogus_publiceren(*, gemeente_id: int) -> CatalogusVersie:
    """Demo data: the shipped Voorbeeld catalogue as published version 1 of the gemeente,
    valid from 2025-01-01. Idempotent: an existing version 1 is left as it is."""
    from .selectors import _gemeenten

    gemeente = _gemeenten().get(pk=gemeente_id)
    actor = _DemoSysteem()
    bestaand = CatalogusVersie.objects.select_for_update().filter(gemeente_id=gemeente.pk, versie=1).first()
    if bestaand is not None:
        return bestaand
    versie = concept_aanmaken(
        actor=actor, gemeente=gemeente, yaml_tekst=voorbeeld_catalogus_tekst(), toelichting=_("Regelingen zoals meegeleverd met Perspectief.")
    )
    return concept_publiceren(actor=actor, versie=versie, geldig_vanaf=VOORBEELD_GELDIG_VANAF, verleden_bevestigd=True)
