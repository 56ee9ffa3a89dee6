"""Prose or noise, by letter and word-shape statistics: prose in several scripts passes, noise of several
kinds does not."""

from __future__ import annotations

import base64
import random

import pytest

from tasks.verify.text import noise_reasons, text_stats

PROSE = {
    "en": "The Senate Armed Services Committee on Tuesday advanced a defense authorization bill that would raise "
          "military spending to a record level, setting up a floor fight over arms sales and troop deployments. ",
    "de": "Der Haushaltsausschuss des Bundestages hat in der Nacht zum Mittwoch den Verteidigungsetat für das "
          "kommende Jahr gebilligt; die Opposition kritisierte die Eile, mit der über Milliarden entschieden wurde. ",
    "pl": "Komisja obrony narodowej przyjęła w środę projekt ustawy o zwiększeniu wydatków na wojsko, a posłowie "
          "opozycji zapowiedzieli poprawki dotyczące zakupów uzbrojenia i rozmieszczenia żołnierzy. ",
    "ru": "Комитет по обороне в среду одобрил законопроект об увеличении военных расходов до рекордного уровня, "
          "после чего депутаты начали спор о поставках оружия и размещении войск. ",
    "zh": "参议院军事委员会周二通过了一项国防授权法案，"
          "将军费开支提高到创纪录的水平，并为有关武器销售和部队部署的条款展开辩论。",
    "el": "Η επιτροπή άμυνας ενέκρινε την Τρίτη νομοσχέδιο που αυξάνει τις στρατιωτικές δαπάνες σε επίπεδο ρεκόρ, "
          "ανοίγοντας συζήτηση για τις πωλήσεις όπλων και την ανάπτυξη στρατευμάτων. ",
}


@pytest.mark.parametrize("language", sorted(PROSE))
def test_prose_in_any_script_is_not_noise(language: str) -> None:
    text = PROSE[language] * 6
    assert noise_reasons(text_stats(text)) == []


def test_prose_with_numbers_urls_and_quotes_is_not_noise() -> None:
    text = ("On 3 July 2026 the ministry said 1,022 of the 21,500+ victims were under 2 (see https://example.org/"
            "report-2026.pdf, p. 14). “We counted every one,” Dr. O’Neill said — U.S. officials disputed it. ") * 5
    assert noise_reasons(text_stats(text)) == []


@pytest.mark.parametrize("noise", [
    random.Random(1).randbytes(3000).decode("utf-8", "replace"),
    random.Random(2).randbytes(3000).decode("latin-1"),
    base64.b64encode(random.Random(3).randbytes(2000)).decode("ascii"),
    " ".join(base64.b64encode(random.Random(4).randbytes(2000)).decode("ascii")[i:i + 12] for i in range(0, 2600, 12)),
    "function(e){return e&&e.__esModule?e:{default:e}};var t=n(12),r=n(7);" * 40,
    " ".join("".join(random.Random(i).choice("abcdefghijklmnopqrstuvwxyz") for _ in range(2 + i % 9))
             for i in range(400)),
], ids=["utf8-bytes", "latin1-bytes", "base64", "base64-spaced", "minified-js", "letter-soup"])
def test_noise_is_named(noise: str) -> None:
    reasons = noise_reasons(text_stats(noise))
    assert reasons and reasons[0].startswith("body is noise (")


def test_short_texts_are_left_to_other_checks() -> None:
    assert noise_reasons(text_stats("x7$ q@! zz")) == []
