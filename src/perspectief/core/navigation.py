"""The main navigation per role: each role sees only the pages it may use."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perspectief.huishoudens import policies as huishouden_policies
from perspectief.proactief import policies as proactief_policies
from perspectief.regelingen import policies as regelingen_policies
from perspectief.toegang import policies


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url: str
    description: str = ""  # one B1 sentence for the start page


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    if policies.is_resident(user):
        return [NavItem(
            _("Mijn gegevens"), reverse("core:mijn_gegevens"), _("Uw gegevens en wie ze heeft bekeken.")
        ), NavItem(
            _("Regelingencheck"), reverse("regelingencheck:kies_gemeente"), _("Kijk welke regelingen er voor u zijn.")
        )]
    items = [NavItem(_("Start"), reverse("core:start"))]
    if huishouden_policies.can_list_households(user):
        items.append(NavItem(
            _("Huishoudens"), reverse("huishoudens:lijst"), _("Zoek en open de huishoudens waar u voor werkt.")
        ))
    if huishouden_policies.can_create_household(user):
        items.append(NavItem(
            _("Nieuw huishouden"), reverse("huishoudens:nieuw"), _("Leg een huishouden vast met adres en aanvrager.")
        ))
    if proactief_policies.can_use_proactief(user):
        items.append(NavItem(
            _("Proactief"), reverse("proactief:overzicht"), _("Zoek wie een regeling kan krijgen en beslis wat u doet.")
        ))
    if proactief_policies.can_use_wat_als(user):
        items.append(NavItem(
            _("Wat als"), reverse("beleid:wat_als"), _("Reken uit wat een andere inkomensgrens of een ander bedrag kost.")
        ))
    if policies.can_view_aggregates(user):
        items.append(NavItem(
            _("Cijfers"), reverse("core:cijfers"), _("Aantallen per wijk, zonder persoonsgegevens.")
        ))
    if regelingen_policies.can_manage_catalogue(user):
        items.append(NavItem(
            _("Regelingen"), reverse("regelingen:lijst"), _("Beheer de regelingen waarmee de regelingencheck rekent.")
        ))
    if policies.can_search_audit_log(user):
        items.append(NavItem(
            _("Auditlog"), reverse("audit:zoeken"), _("Zoek wie wat deed of bekeek, en wanneer.")
        ))
    return items
