"""The main navigation per role: each role sees only the pages it may use."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from perspectief.huishoudboekje import policies as huishoudboekje_policies
from perspectief.huishoudens import policies as huishouden_policies
from perspectief.proactief import policies as proactief_policies
from perspectief.regelingen import policies as regelingen_policies
from perspectief.toegang import policies


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url: str
    description: str = ""  # one B1 sentence for the start page


# The staff pages in menu order: who may use it, label, URL name, one B1 sentence.
_STAFF_PAGES = (
    (huishouden_policies.can_list_households, _("Huishoudens"), "huishoudens:lijst",
     _("Zoek en open de huishoudens waar u voor werkt.")),
    (huishouden_policies.can_create_household, _("Nieuw huishouden"), "huishoudens:nieuw",
     _("Leg een huishouden vast met adres en aanvrager.")),
    (huishoudboekje_policies.can_use_huishoudboekje, _("Huishoudboekje"), "huishoudboekje:werklijst",
     _("Saldo, afspraken, bankafschriften en open posten van de huishoudens die u beheert.")),
    (proactief_policies.can_use_proactief, _("Proactief"), "proactief:overzicht",
     _("Zoek wie een regeling kan krijgen en beslis wat u doet.")),
    (proactief_policies.can_use_wat_als, _("Wat als"), "beleid:wat_als",
     _("Reken uit wat een andere inkomensgrens of een ander bedrag kost.")),
    (policies.can_view_aggregates, _("Cijfers"), "core:cijfers", _("Aantallen per wijk, zonder persoonsgegevens.")),
    (regelingen_policies.can_manage_catalogue, _("Regelingen"), "regelingen:lijst",
     _("Beheer de regelingen waarmee de regelingencheck rekent.")),
    (policies.can_search_audit_log, _("Auditlog"), "audit:zoeken", _("Zoek wie wat deed of bekeek, en wanneer.")),
)


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    if policies.is_resident(user):
        items = [NavItem(
            _("Mijn gegevens"), reverse("core:mijn_gegevens"), _("Uw gegevens en wie ze heeft bekeken.")
        )]
        if huishoudboekje_policies.deelname_of_resident(user) is not None:
            items.append(NavItem(
                _("Mijn huishoudboekje"), reverse("mijn_huishoudboekje:overzicht"),
                _("Uw saldo, uw leefgeld en wat de gemeente voor u betaalt."),
            ))
        items.append(NavItem(
            _("Regelingencheck"), reverse("regelingencheck:kies_gemeente"), _("Kijk welke regelingen er voor u zijn.")
        ))
        return items
    return [NavItem(_("Start"), reverse("core:start"))] + [
        NavItem(label, reverse(url_name), description)
        for may_use, label, url_name, description in _STAFF_PAGES
        if may_use(user)
    ]
