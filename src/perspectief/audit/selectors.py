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
    """The whole verification: recomputes every hash in order; how many entries were checked
    and each place where the chain is broken."""
    problems: list[VerificationProblem] = []
    expected_previous = GENESIS_HASH
    expected_number = 1
    checked = 0
    for regel in AuditRegel.objects.order_by("volgnummer").only(*HASHED_FIELDS, "hash").iterator(batch_size):
        if regel.volgnummer != expected_number:
            problems.append(VerificationProblem(regel.volgnummer, f"regels {expected_number} tot {regel.volgnummer} ontbreken"))
        if regel.vorige_hash != expected_previous:
            problems.append(VerificationProblem(regel.volgnummer, "vorige hash past niet bij de regel ervoor"))
        fields = {name: getattr(regel, name) for name in HASHED_FIELDS}
        if entry_hash(fields) != regel.hash:
            problems.append(VerificationProblem(regel.volgnummer, "inhoud van de regel is gewijzigd"))
        checked += 1
        expected_previous = regel.hash
        expected_number = regel.volgnummer + 1
    head = AuditKetting.objects.filter(id=1).first()  # expected_previous is now the last entry's hash
    if head is not None and (head.laatste_volgnummer != expected_number - 1 or head.laatste_hash != expected_previous):
        problems.append(VerificationProblem(None, "de laatste regels van het log ontbreken"))
    return VerificationReport(checked=checked, problems=tuple(problems))


def audit_verify_chain(*, batch_size: int = 5000) -> Iterator[VerificationProblem]:
    """Each place where the chain is broken (see `audit_verify_report`)."""
    yield from audit_verify_report(batch_size=batch_size).problems
