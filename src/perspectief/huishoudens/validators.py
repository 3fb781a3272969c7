from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import postcode as stdnum_postcode

from .bsn import OngeldigBSN, bsn_normalise


def validate_bsn(value: str) -> None:
    try:
        bsn_normalise(value)
    except OngeldigBSN as error:
        raise ValidationError(str(error), code="ongeldig_bsn") from error


def postcode_normalise(value: str) -> str:
    """Returns the postcode as '1234 AB' or raises ValidationError with a Dutch message."""
    try:
        return stdnum_postcode.validate(value)
    except StdnumValidationError as error:
        raise ValidationError(
            "Deze postcode klopt niet. Een postcode heeft 4 cijfers en 2 letters, zoals 1234 AB.",
            code="ongeldige_postcode",
        ) from error


def validate_postcode(value: str) -> None:
    postcode_normalise(value)
