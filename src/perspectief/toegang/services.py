"""Accounts: creating staff and resident accounts and enrolling their second factor."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record

from .constants import Soort
from .models import Gebruiker


def gebruiker_create_medewerker(
    *, username: str, password: str, rol: str, gemeente, teams=(), first_name: str = "", last_name: str = "", actor=None
) -> Gebruiker:
    with transaction.atomic():
        gebruiker = Gebruiker(
            username=username, soort=Soort.MEDEWERKER, rol=rol, gemeente=gemeente, first_name=first_name, last_name=last_name
        )
        gebruiker.set_password(password)
        gebruiker.full_clean(exclude=["password"])
        gebruiker.save()
        gebruiker.teams.set(teams)
        audit_record(actor=actor, actie=Actie.AANMAKEN, object_type="gebruiker", object_id=gebruiker.pk)
    return gebruiker


def gebruiker_create_inwoner(*, username: str, password: str, persoon, gemeente, actor=None) -> Gebruiker:
    with transaction.atomic():
        gebruiker = Gebruiker(username=username, soort=Soort.INWONER, rol="", gemeente=gemeente, persoon=persoon)
        gebruiker.set_password(password)
        gebruiker.save()
        audit_record(actor=actor, actie=Actie.AANMAKEN, object_type="gebruiker", object_id=gebruiker.pk)
    return gebruiker


def totp_device_start(*, gebruiker: Gebruiker) -> TOTPDevice:
    """An unconfirmed device for enrolment; an old unconfirmed one is replaced."""
    TOTPDevice.objects.filter(user=gebruiker, confirmed=False).delete()
    return TOTPDevice.objects.create(user=gebruiker, name="Authenticator-app", confirmed=False)


def totp_device_create_confirmed(*, gebruiker: Gebruiker, key_hex: str) -> TOTPDevice:
    """For the demo and tests: a device with a known secret."""
    return TOTPDevice.objects.create(user=gebruiker, name="Authenticator-app", key=key_hex, confirmed=True)
