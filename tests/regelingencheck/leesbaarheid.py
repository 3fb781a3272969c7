"""A Dutch readability measure for the check's texts: Flesch-Douma (textstat with the Dutch
syllable rules) plus average sentence length and share of long words."""

import html
import re
from dataclasses import dataclass

import textstat


@dataclass(frozen=True)
class Meting:
    flesch_douma: float
    zinnen: int
    woorden: int
    gemiddelde_zinslengte: float
    lange_woorden: float  # share of words of 4 syllables or more

    def __str__(self) -> str:
        return (f"Flesch-Douma {self.flesch_douma:.1f}, {self.woorden} woorden in {self.zinnen} zinnen, "
                f"gemiddeld {self.gemiddelde_zinslengte:.1f} woorden per zin, {self.lange_woorden:.0%} lange woorden")


def zichtbare_tekst(pagina: str) -> str:
    """The running text a resident reads in the page's main content: paragraphs, list items,
    help summaries, legends and labels (not the navigation, not tables or the chart, which
    hold figures). Amounts, numbers and addresses are replaced by a short word: a number is
    not a hard word."""
    hoofd = re.search(r"<main[^>]*>(.*)</main>", pagina, re.S).group(1)
    hoofd = re.sub(r"<(script|style|svg|table)\b.*?</\1>", " ", hoofd, flags=re.S)
    hoofd = re.sub(r'<span class="perspectief-visually-hidden">.*?</span>', " ", hoofd, flags=re.S)
    blokken = re.findall(r"<(p|li|summary|legend|label|h1|h2|h3|h4)\b[^>]*>(.*?)</\1>", hoofd, flags=re.S)
    teksten = [html.unescape(re.sub(r"<[^>]+>", " ", inhoud)).strip() for _, inhoud in blokken]
    return " ".join(schoon(tekst) for tekst in teksten if tekst)


def schoon(tekst: str) -> str:
    """One block of text as sentences: numbers become a word, every block ends a sentence."""
    tekst = re.sub(r"€\s?-?[\d.]+(,\d+)?", "geld", tekst)
    tekst = re.sub(r"\b\d[\d.,%]*\b", "tien", tekst)
    tekst = re.sub(r"https?://\S+|\S+@\S+|\b\w+\.nl\b", "site", tekst)
    tekst = re.sub(r"\s+", " ", tekst).strip()
    if not tekst:
        return ""
    return tekst if tekst[-1] in ".!?" else tekst + "."


def meet(tekst: str) -> Meting:
    textstat.set_lang("nl")
    zinnen = [z for z in re.split(r"[.!?]+", tekst) if z.strip()]
    woorden = re.findall(r"[A-Za-zÀ-ÿ]+", tekst)
    lang = sum(1 for woord in woorden if textstat.syllable_count(woord) >= 4)
    return Meting(
        flesch_douma=textstat.flesch_reading_ease(tekst),
        zinnen=len(zinnen),
        woorden=len(woorden),
        gemiddelde_zinslengte=len(woorden) / max(len(zinnen), 1),
        lange_woorden=lang / max(len(woorden), 1),
    )
