"""Reading and verifying the audit log."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from perspectief.toegang.constants import Rol

from .chain import HASHED_FIELDS, entry_hash
from .constants import GENESIS_HASH, Actie
from .models import AuditKetting, AuditRegel


@dataclass(frozen=True, slots=True)
class VerificationProblem:
    volgnummer: int | None
    reason: str


def audit_search(
    *,
    actor_gebruikersnaam: str = "",
    actie: str = "",
    object_type: str = "",
    object_id: str = "",
    resultaat: str = "",
    vanaf: date | None = None,
    tot_en_met: date | None = None,
) -> QuerySet[AuditRegel]:
    entries = AuditRegel.objects.all()
    if actor_gebruikersnaam:
        entries = entries.filter(actor_gebruikersnaam__iexact=actor_gebruikersnaam)
    if actie:
        entries = entries.filter(actie=actie)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if resultaat:
        entries = entries.filter(resultaat=resultaat)
    if vanaf:
        entries = entries.filter(tijdstip__date__gte=vanaf)
    if tot_en_met:
        entries = entries.filter(tijdstip__date__lte=tot_en_met)
    return entries.order_by("-volgnummer")


def audit_views_of_household(*, huishouden_id: int) -> QuerySet[AuditRegel]:
    """Who looked at or changed this household's data: for the resident's own overview."""
    return (
        AuditRegel.objects.filter(huishouden_id=huishouden_id, actor_rol__in=Rol.values)
        .exclude(actie=Actie.ZOEKEN)
        .order_by("-volgnummer")
    )


@dataclass(frozen=True, slots=True)
class VerificationReport:
    checked: int
    problems: tuple[VerificationProblem, ...]


def audit_verify_report(*, batch_size: int = 5000) -> VerificationReport:
    """The whole verification: how many entries were checked and every problem found."""
    counter = [0]
    problems = tuple(_verify(batch_size, counter))
    return VerificationReport(checked=counter[0], problems=problems)


def audit_verify_chain(*, batch_size: int = 5000) -> Iterator[VerificationProblem]:
    """Recomputes every hash in order; yields each place where the chain is broken."""
    yield from _verify(batch_size, [0])


def _verify(batch_size: int, counter: list[int]) -> Iterator[VerificationProblem]:
    expected_previous = GENESIS_HASH
    expected_number = 1
    last_hash = GENESIS_HASH
    last_number = 0
    for regel in AuditRegel.objects.order_by("volgnummer").only(*HASHED_FIELDS, "hash").iterator(batch_size):
        if regel.volgnummer != expected_number:
            yield VerificationProblem(regel.volgnummer, f"regels {expected_number} tot {regel.volgnummer} ontbreken")
        if regel.vorige_hash != expected_previous:
            yield VerificationProblem(regel.volgnummer, "vorige hash past niet bij de regel ervoor")
        fields = {name: getattr(regel, name) for name in HASHED_FIELDS}
        if entry_hash(fields) != regel.hash:
            yield VerificationProblem(regel.volgnummer, "inhoud van de regel is gewijzigd")
        counter[0] += 1
        expected_previous = regel.hash
        expected_number = regel.volgnummer + 1
        last_hash, last_number = regel.hash, regel.volgnummer
    head = AuditKetting.objects.filter(id=1).first()
    if head is not None and (head.laatste_volgnummer != last_number or head.laatste_hash != last_hash):
        yield VerificationProblem(None, "de laatste regels van het log ontbreken")
