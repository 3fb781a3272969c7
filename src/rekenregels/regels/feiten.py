"""Which facts are unknown. Unknown facts are filled in favourably (income and vermogen 0,
rent at the highest amount that counts); a scheme that then gives money but depends on an
unknown fact answers 'misschien' and names the missing facts."""

from __future__ import annotations

import numpy as np

from ..engine import HUISHOUDEN, PERSOON, variabele
from ..populatie import HUUR, MEDEBEWONER, WONING_ONBEKEND


@variabele(entiteit=PERSOON, periode="moment", eenheid="ja/nee", label="Inkomen is onbekend")
def inkomen_onbekend(s):
    return ~s.populatie.inkomen_bekend & ~np.isfinite(s.populatie.toetsingsinkomen_per_jaar)


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="ja/nee",
    label="Inkomen van aanvrager of partner is onbekend",
)
def inkomen_onbekend_aanvrager_partner(s):
    return s.aantal(s("inkomen_onbekend") & s("is_aanvrager_of_partner")) > 0


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="ja/nee",
    label="Inkomen van aanvrager, partner of een medebewoner is onbekend",
)
def inkomen_onbekend_bewoners(s):
    telt = s("is_aanvrager_of_partner") | (s.populatie.rol == MEDEBEWONER)
    return s.aantal(s("inkomen_onbekend") & telt) > 0


@variabele(
    entiteit=HUISHOUDEN,
    periode="moment",
    eenheid="ja/nee",
    label="Vermogen van aanvrager of partner is onbekend",
)
def vermogen_onbekend(s):
    return s.aantal(~np.isfinite(s.populatie.vermogen) & s("is_aanvrager_of_partner")) > 0


@variabele(
    entiteit=HUISHOUDEN, periode="moment", eenheid="ja/nee", label="Soort woning is onbekend"
)
def woning_onbekend(s):
    return s.populatie.woningsoort == WONING_ONBEKEND


@variabele(entiteit=HUISHOUDEN, periode="moment", eenheid="ja/nee", label="Huur is onbekend")
def huur_onbekend(s):
    woningsoort = s.populatie.woningsoort
    return (woningsoort == WONING_ONBEKEND) | (
        (woningsoort == HUUR) & ~np.isfinite(s.populatie.kale_huur_per_maand)
    )
