"""Background work of the huishoudboekje: thin tasks that take ids (and a file path) and
call a service. Add a task per job here (e.g. a daily signals run) in the same shape."""

from datetime import date
from pathlib import Path

from celery import shared_task
from celery.schedules import crontab
from django.contrib.auth import get_user_model

from perspectief.celery import app
from perspectief.core.request_context import reset_origin, set_origin, task_origin


def _als_taak(task):
    return set_origin(task_origin(task))


@shared_task(name="perspectief.huishoudboekje.tasks.bankbestand_inlezen_task", bind=True)
def bankbestand_inlezen_task(
    self, *, tussenrekening_id: int, pad: str, bestandsnaam: str, actor_id: int | None = None, opruimen: bool = False,
    versleuteld: bool = False,
) -> int:
    """Import the statement file stored at ``pad``; returns the Bankbestand id. The upload
    screen stores it encrypted in the waiting room (``versleuteld``, see wachtrij.py); a
    plain file (the default) is read as it is. With ``opruimen`` the file is removed once
    the import ended: done, refused, or failed (also a file that cannot be decrypted), as
    it will not be run again. Not when the worker is killed or shut down: the redelivered
    task reads it again. Safe to run twice (the import is idempotent)."""
    from django.utils.translation import gettext as _

    from . import wachtrij
    from .inlezen import bankbestand_inlezen, weigering_vastleggen
    from .models import Tussenrekening

    token = _als_taak(self)
    afgelopen = False  # the import returned or raised; False on SystemExit/KeyboardInterrupt
    try:
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        tussenrekening = Tussenrekening.objects.get(pk=tussenrekening_id)
        bestand = Path(pad).read_bytes()
        try:
            inhoud = wachtrij.ontsleutelen(bestand) if versleuteld else bestand
        except wachtrij.BestandOnleesbaar:
            # Nothing of it is imported; the list shows it as refused instead of waiting.
            bb = weigering_vastleggen(
                actor=actor,
                tussenrekening=tussenrekening,
                bestandsnaam=bestandsnaam,
                inhoud=bestand,
                reden=_(
                    "Het bestand is veranderd terwijl het wachtte op verwerking. "
                    "Er is niets ingelezen. Lees het bestand opnieuw in."
                ),
            )
            afgelopen = True
            return bb.pk
        bb = bankbestand_inlezen(
            actor=actor,
            tussenrekening=tussenrekening,
            bestandsnaam=bestandsnaam,
            inhoud=inhoud,
        )
        afgelopen = True
        return bb.pk
    except Exception:
        afgelopen = True
        raise
    finally:
        if opruimen and afgelopen:
            wachtrij.verwijderen(pad)
        reset_origin(token)


# --- waiting room clean-up (upload privacy) ---------------------------------------------------

WACHTRIJ_SCHEDULE_NAME = "huishoudboekje: wachtende afschriften opruimen"


@shared_task(name="perspectief.huishoudboekje.tasks.wachtrij_opruimen", bind=True)
def wachtrij_opruimen(self, *, max_uur: float | None = None) -> int:
    """Remove waiting statement files older than HUISHOUDBOEKJE_UPLOAD_MAX_UUR hours (their
    task never ran, or its worker died); returns how many. Logs and audits the count only
    (one entry when something was removed; the names are random and say nothing)."""
    import logging

    from perspectief.audit.constants import Actie
    from perspectief.audit.services import audit_record

    from . import wachtrij
    from .constants import DOEL

    token = _als_taak(self)
    try:
        weg = wachtrij.opruimen(max_uur=max_uur)
        if weg:
            logging.getLogger(__name__).warning("huishoudboekje: removed %d waiting statement file(s) past their age", weg)
            audit_record(
                actor=None, actie=Actie.VERWIJDEREN, object_type="huishoudboekje.wachtend_afschrift", doel=DOEL,
                details={"aantal": weg},
            )
        return weg
    finally:
        reset_origin(token)


# Every hour, so a file waits at most HUISHOUDBOEKJE_UPLOAD_MAX_UUR plus one hour.
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    WACHTRIJ_SCHEDULE_NAME: {"task": wachtrij_opruimen.name, "schedule": crontab(minute=23)},
}


# --- daily signals run (betalingen/signalen engineer) --------------------------------------

SIGNALEN_SCHEDULE_NAME = "huishoudboekje: signalen bijwerken"


@shared_task(name="perspectief.huishoudboekje.tasks.signalen_dagelijks", bind=True)
def signalen_dagelijks(self, *, peildatum: str | None = None) -> int:
    """Create today's signals for every participation (``signalen.signalen_bijwerken``);
    returns how many are new. Idempotent: running it twice a day creates nothing extra.
    One audit entry per run (references only)."""
    from django.utils import timezone

    from perspectief.audit.constants import Actie
    from perspectief.audit.services import audit_record

    from .constants import DOEL
    from .signalen import signalen_bijwerken

    token = _als_taak(self)
    try:
        dag = date.fromisoformat(peildatum) if peildatum else timezone.localdate()
        nieuw = signalen_bijwerken(peildatum=dag)
        audit_record(
            actor=None, actie=Actie.AANMAKEN, object_type="signalen_bijwerken", doel=DOEL,
            details={"peildatum": dag.isoformat(), "nieuw": nieuw},
        )
        return nieuw
    finally:
        reset_origin(token)


# Celery beat reads this after importing the apps' task modules (autodiscovery), as for
# the regelingencheck: every morning, after the night's statements are in.
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    SIGNALEN_SCHEDULE_NAME: {"task": signalen_dagelijks.name, "schedule": crontab(hour=6, minute=15)},
}


# --- daily planning run (betalingen engineer) ------------------------------------------------

PLANNEN_SCHEDULE_NAME = "huishoudboekje: betalingen plannen"


@shared_task(name="perspectief.huishoudboekje.tasks.betalingen_dagelijks", bind=True)
def betalingen_dagelijks(self, *, peildatum: str | None = None, dagen: int | None = None) -> int:
    """Plan the payments of every tussenrekening with a term from today up to
    ``dagen`` days ahead (setting ``HUISHOUDBOEKJE_PLANNEN_DAGEN``, default 14) with
    ``betalingen.betalingen_plannen``; returns how many are new. Idempotent: a second run
    the same day plans nothing. A short horizon keeps each leefgeld amount close to its
    day. One audit entry per run (dates and counts only). When one account fails, the
    others are still planned, the failure is logged by account id and the task fails
    after the audit entry."""
    import logging

    from django.utils import timezone

    from perspectief.audit.constants import Actie
    from perspectief.audit.services import audit_record

    from .betalingen import betalingen_plannen, plannen_tot
    from .constants import DOEL
    from .models import Tussenrekening

    token = _als_taak(self)
    try:
        dag = date.fromisoformat(peildatum) if peildatum else timezone.localdate()
        tot = plannen_tot(dag, dagen=dagen)
        nieuw, mislukt = 0, []
        for rekening in Tussenrekening.objects.order_by("pk"):
            try:
                nieuw += betalingen_plannen(tussenrekening=rekening, peildatum=dag, tot=tot)
            except Exception:  # one account must not stop the others; reported below
                logging.getLogger(__name__).exception("huishoudboekje: planning failed for tussenrekening %s", rekening.pk)
                mislukt.append(rekening.pk)
        audit_record(
            actor=None, actie=Actie.AANMAKEN, object_type="betalingen_plannen", doel=DOEL,
            details={"peildatum": dag.isoformat(), "tot": tot.isoformat(), "nieuw": nieuw, "mislukt": mislukt},
        )
        if mislukt:
            raise RuntimeError(f"planning failed for tussenrekening {mislukt}")
        return nieuw
    finally:
        reset_origin(token)


# Before the signals run (06:15), after the night's statements are in: the leefgeld amounts
# count the money that came in overnight.
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    PLANNEN_SCHEDULE_NAME: {"task": betalingen_dagelijks.name, "schedule": crontab(hour=6, minute=0)},
}


# --- signals after an import (import engineer) ------------------------------------------------


@shared_task(name="perspectief.huishoudboekje.tasks.signalen_na_inlezen", bind=True)
def signalen_na_inlezen(self, *, bankbestand_id: int, peildatum: str | None = None) -> int:
    """Bring the signals of the households with lines in this statement file up to date
    (``signalen.signalen_bijwerken`` for those deelnames only); returns how many are new.
    Enqueued by the import when its transaction commits. Idempotent, like the daily run.
    One audit entry per run (references only)."""
    from django.utils import timezone

    from perspectief.audit.constants import Actie
    from perspectief.audit.services import audit_record

    from .constants import DOEL
    from .models import Banktransactie, Deelname
    from .signalen import signalen_bijwerken

    token = _als_taak(self)
    try:
        dag = date.fromisoformat(peildatum) if peildatum else timezone.localdate()
        deelnames = Deelname.objects.filter(
            pk__in=Banktransactie.objects.filter(
                bankbestand_id=bankbestand_id, deelname__isnull=False
            ).values("deelname_id")
        )
        nieuw = signalen_bijwerken(peildatum=dag, deelnames=deelnames)
        audit_record(
            actor=None, actie=Actie.AANMAKEN, object_type="signalen_bijwerken", doel=DOEL,
            details={"peildatum": dag.isoformat(), "nieuw": nieuw, "bankbestand": bankbestand_id},
        )
        return nieuw
    finally:
        reset_origin(token)
