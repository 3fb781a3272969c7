"""Reads for the regelingencheck."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from .antwoorden import personen
from .constants import STAPPEN
from .models import CheckAntwoorden


def check_geldig(*, check_id, gemeente_id: int) -> CheckAntwoorden | None:
    """The check with this id for this gemeente, unless it has expired."""
    if not check_id:
        return None
    return (
        CheckAntwoorden.objects.filter(pk=check_id, gemeente_id=gemeente_id, verloopt_op__gt=timezone.now())
        .select_related("gemeente")
        .first()
    )


def eerste_open_stap(antwoorden: dict) -> str | None:
    """The first step that still needs an answer (also when the household changed after a
    later step was answered: a new child needs an age); None when all are answered."""
    for stap in STAPPEN[:-1]:
        if stap not in antwoorden:
            return stap
    sleutels = {persoon.sleutel for persoon in personen(antwoorden["huishouden"])}
    if not sleutels <= set(antwoorden["leeftijden"]):
        return "leeftijden"
    volwassenen = {persoon.sleutel for persoon in personen(antwoorden["huishouden"]) if persoon.volwassen}
    if not volwassenen <= set(antwoorden["inkomen"]):
        return "inkomen"
    return None


def gedeelde_checks(*, huishouden_id: int, rol: str, peildatum: date | None = None) -> QuerySet[CheckAntwoorden]:
    """Checks a resident shared with the household's consultant, under a consent for this
    role that is valid today (not withdrawn, within its period), newest first."""
    peildatum = peildatum or timezone.localdate()
    return (
        CheckAntwoorden.objects.filter(
            gedeeld_met_id=huishouden_id,
            toestemming__huishouden_id=huishouden_id,
            toestemming__ontvanger_rol=rol,
            toestemming__geldig_vanaf__lte=peildatum,
            toestemming__geldig_tot__gte=peildatum,
            toestemming__ingetrokken_op__isnull=True,
            verloopt_op__gt=timezone.now(),
            uitkomst__isnull=False,
        )
        .order_by("-gedeeld_op")
    )
