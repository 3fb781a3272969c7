"""Shared helpers: fill in the questionnaire through the real forms."""

from django.test import Client

# A known household: a single parent (35) with one child of 8, no income (or only bijstand),
# renting for 650 kale huur + 30 servicekosten, 500 savings, low income for 3 years or more.
ALLEENSTAANDE_OUDER = {
    1: {"partner": "nee", "kinderen": "1", "volwassenen": "0"},
    2: {"aanvrager_leeftijd": "35", "kind1_leeftijd": "8"},
    3: {"aanvrager_soort": "geen", "aanvrager_bedrag": "", "laag_inkomen": "3_jaar_of_langer"},
    4: {"soort": "huur", "kale_huur": "650", "servicekosten": "30"},
    5: {"bedrag": "500"},
    6: {},
}


def start(client: Client, slug: str = "voorbeeld") -> None:
    response = client.post(f"/check/{slug}/")
    assert response.status_code == 302
    assert response["Location"] == f"/check/{slug}/stap/1/"


def vul_in(client: Client, stappen: dict[int, dict] = ALLEENSTAANDE_OUDER, slug: str = "voorbeeld") -> None:
    """Starts a check and answers every step; the last step leads to the result page."""
    start(client, slug)
    for nummer, data in stappen.items():
        response = client.post(f"/check/{slug}/stap/{nummer}/", data)
        assert response.status_code == 302, (nummer, response.content.decode()[:3000])
        volgende = f"/check/{slug}/stap/{nummer + 1}/" if nummer < 6 else f"/check/{slug}/uitkomst/"
        assert response["Location"] == volgende
