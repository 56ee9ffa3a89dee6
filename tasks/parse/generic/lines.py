"""Lines of page chrome in the text ("Advertisement", "Share this", "Read more", picture credits) and the
headings that open what follows an article ("Related articles", "Leave a reply")."""

from __future__ import annotations

import re

_JUNK_LINE = re.compile(
    r"^(?:advertisement|advertisements|anzeige|werbung|publicité|publicidad|pubblicità|reklama|"
    r"share(?: this(?: article| story| post)?)?(?: on \w+)?|teilen|tweet|print|e-?mail|read more|"
    r"weiterlesen|mehr lesen|lire la suite|leer más|continua a leggere|click here.*|loading.*|"
    r"sponsored|gesponsert|scroll to continue.*|continue reading.*|follow us.*|like this|"
    # Where the facts came from, and no warranty for them: notes to the text, not the text.
    r"(?:quellen?|source|sources|fuente|fonte)\s*:.{0,60}|alle angaben ohne gewähr.{0,40}|"
    # Advertising disclosures ("Anzeige, enthält Affiliate Links").
    r"(?:anzeige|werbung|sponsored|gesponsert|advertisement|publicité)\s*[,:|–-].{0,60}|"
    r"gefällt mir|j'aime|me gusta|[^\w]*|"
    # Lines that introduce what follows an article: more articles, the comment form.
    r"(?:related|similar|recommended|popular|trending|more|other|latest|top)(?: (?:articles?|posts?|stories|"
    r"reads?|news|content|coverage|videos?))?|see also|also read|read also|read next|up next|"
    r"(?:you|we think you) (?:may|might|will|would) (?:also )?(?:like|enjoy|be interested in).*|"
    r"(?:more|also) (?:from|on|in|about) .{1,40}|don'?t miss.*|recommended for you|editor'?s picks|"
    r"most (?:read|popular|viewed|shared)|in other news|(?:previous|next|older|newer) (?:post|article|story)|"
    r"post navigation|leave a (?:reply|comment)|comments?(?: \(\d+\))?|\d* ?comments?|write a comment|"
    r"ähnliche (?:beiträge|artikel|themen)|auch interessant|das (?:thema )?könnte (?:dich|sie) auch interessieren|"
    r"(?:das|dies) (?:könnte|dürfte) (?:dich|sie) auch interessieren|(?:sie|du) könn(?:t)?en? auch an .*|"
    r"lesen sie auch|lies auch|mehr zum thema.*|mehr (?:dazu|zu diesem thema)|weitere (?:artikel|beiträge|"
    r"themen|news|nachrichten|informationen)\b.*|entdecke weitere .*|vorschau auf (?:den|die) nächsten? .*|"
    r"meistgelesen|kommentare?(?: \(\d+\))?|kommentieren|kommentare? (?:schreiben|insgesamt)|"
    r"schreibe einen kommentar|"
    # Picture credits.
    r"(?:photo(?:graph)?s?|images?|pictures?|credits?|illustrations?|fotos?|bild(?:er)?|beitragsbild|"
    r"titelbild|crédit photo|foto de portada)(?: (?:by|credit|von|de|di))?(?:\s*[:©|/].*)?|(?:©|\(c\)).*|"
    r"(?:photo(?:graph)?s?|images?|pictures?|fotos?|bild(?:er)?) (?:by|von|de|di) [\w .,'’&-]{2,60}|"
    # A date or time alone, or a "published"/"updated" line: the page's metadata, not its text.
    r"(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s*)?(?:\d{1,2}:\d{2}\s*(?:uhr|h|am|pm)?)?|"
    r"(?:published|updated|posted|last modified|publiziert|veröffentlicht|aktualisiert|erschienen|stand|"
    r"publié|mis à jour|publicado|actualizado|pubblicato|"
    r"aggiornato)(?: (?:am|on|le|el|il))?:? [\w .,:/-]{0,40}\d[\w .,:/-]{0,20}|"
    r"à lire aussi|lire aussi|sur le même sujet|vous aimerez aussi|articles similaires|laisser un commentaire|"
    r"te puede interesar|también te puede interesar|noticias relacionadas|lee también|deja un comentario|"
    r"leggi anche|potrebbe interessarti|articoli correlati|lascia un commento|zobacz (?:również|też)|"
    r"czytaj (?:także|też|również)|читайте также|смотрите также|lees ook|gerelateerde artikelen)[:.!]?$"
)  # matched against lower-cased text: without IGNORECASE, sre skips a word at its first letter
# "Enthält Affiliate Links": apart, because trying its leading .{0,40} costs more than all the words.
_AFFILIATE_LINE = re.compile(r"^.{0,40}\baffiliate[- ]?links?\b.{0,40}[:.!]?$")


def is_junk_line(text: str) -> bool:
    """A line of page chrome, not article text (see _JUNK_LINE)."""
    text = text.lower()
    return bool(_JUNK_LINE.match(text)) or ("affiliate" in text and bool(_AFFILIATE_LINE.match(text)))


# A heading that opens what follows an article (more articles, the comments). Late in the text it
# ends the article: everything after it is teasers, whatever their markup. ("Read also" is not one:
# it introduces a single link in the middle of articles as often as at their end.)
_END_SECTION = re.compile(
    r"^(?:related (?:articles?|posts?|stories|content|news|coverage)|(?:more|other|similar|latest|recommended) "
    r"(?:articles?|posts?|stories|news|from .{1,40})|recommended for you|"
    r"(?:you|we think you) (?:may|might|will|would) (?:also )?(?:like|enjoy|be interested in)(?: this)?|"
    r"most (?:read|popular|viewed)|leave a (?:reply|comment)|"
    r"\d* ?comments?|post navigation|ähnliche (?:beiträge|artikel)|das (?:thema )?könnte (?:dich|sie) auch "
    r"interessieren|auch interessant|weitere (?:artikel|beiträge)|kommentare?|"
    r"vous aimerez (?:aussi|également)|articles similaires|(?:también )?te puede interesar|noticias relacionadas|"
    r"artículos relacionados|você (?:também )?pode gostar|posts relacionados|artigos relacionados|"
    r"articoli correlati|potrebbe interessarti|похожие (?:статьи|новости)|gerelateerde artikelen)\W*$"
)  # matched against lower-cased text, as _JUNK_LINE
# Text that must come before such a heading: half the text, or this many characters.
_END_SECTION_SHARE = 0.5
_END_SECTION_AFTER = 800
MAX_JUNK_LINE = 100


# A paragraph that ends in a "read more" link is another article's teaser, not this one's text.
_TEASER_END = re.compile(
    r"(?:\bread more|\bweiterlesen|\bmehr lesen|\blire la suite|\bleer más|\bcontinua a leggere|"
    r"\bcontinue reading|\bverder lezen|\bczytaj dalej)\W{0,3}$"
)
_TEASER_MAX = 500


def is_teaser(paragraph: str) -> bool:
    """A paragraph of text ending in a "read more" link (see _TEASER_END)."""
    return len(paragraph) <= _TEASER_MAX and bool(_TEASER_END.search(paragraph[-24:].lower()))


def cut_end_sections(paragraphs: list[str]) -> list[str]:
    """Everything from a late "Related articles" / "Leave a reply" heading on."""
    total = sum(len(p) for p in paragraphs)
    seen = 0
    for index, paragraph in enumerate(paragraphs):
        late = seen >= _END_SECTION_SHARE * total or seen >= _END_SECTION_AFTER
        if late and len(paragraph) < 60 and _END_SECTION.match(paragraph.lower()):
            return paragraphs[:index]
        seen += len(paragraph)
    return paragraphs


def trim_trailing(paragraphs: list[str]) -> list[str]:
    """Headings or junk left dangling at the end once what they introduced was removed."""
    while paragraphs and len(paragraphs[-1]) < 40 and (is_junk_line(paragraphs[-1]) or paragraphs[-1][-1] == ":"):
        paragraphs.pop()
    return paragraphs

