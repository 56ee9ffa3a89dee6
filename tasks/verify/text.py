"""Is a body prose or noise? Letter and word-shape statistics that hold in any language, no phrase lists.

Prose in alphabetic scripts is mostly letters, in tokens of 2-12 letters, and in Latin script about two
letters in five are vowels. Random bytes decoded as text, base64, minified script or a binary blob break at
least one of these by a wide margin; scripts written without spaces (CJK, Thai) are judged on letters only.
"""

from __future__ import annotations

import unicodedata

from schemas.verdict import TextStats

_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿāăąēĕėęěīįıōőœūůűųŷ")
_EDGE_PUNCTUATION = "\"'“”‘’«»„‚‹›()[]{}<>.,;:!?¡¿…-–—/*_#&%|~`^=+@$"
# below these a text is too short to say anything from its statistics; other checks judge short bodies
MIN_CHARS = 200
MIN_LATIN_LETTERS = 150
MIN_LATIN_WORDS = 50
# German prose reaches ~18% of its 4+ letter words with a run of 4 consonants (../shared's real pages); letters
# drawn at random reach ~60%
MAX_CONSONANT_RUN_SHARE = 0.35


def text_stats(text: str) -> TextStats:
    """The statistics of `text` (a body's plain text)."""
    tokens = text.split()
    chars = letters = latin = vowels = unspaced = 0
    for ch in text:
        if ch.isspace():
            continue
        chars += 1
        if ch.isalpha():
            letters += 1
            if _unspaced(ch):
                unspaced += 1
            elif ch.isascii() or "LATIN" in unicodedata.name(ch, ""):
                latin += 1
                vowels += ch.lower() in _VOWELS
    wordlike = junk = alpha_tokens = alpha_length = latin_words = consonant_runs = 0
    for token in tokens:
        word = token.strip(_EDGE_PUNCTUATION)
        if _is_junk(token):
            junk += 1
            continue
        if word and _is_word(word):
            wordlike += 1
            alpha_tokens += 1
            alpha_length += len(word)
            if len(word) >= 4 and (word.isascii() or all("LATIN" in unicodedata.name(ch, "") for ch in word)):
                latin_words += 1
                consonant_runs += _has_consonant_run(word.lower())
        elif word.replace(",", "").replace(".", "").isdigit():
            wordlike += 1  # numbers belong in prose
    return TextStats(
        chars=chars,
        tokens=len(tokens),
        alpha_share=letters / chars if chars else 0.0,
        wordlike_share=wordlike / len(tokens) if tokens else 0.0,
        junk_share=junk / len(tokens) if tokens else 0.0,
        mean_word_length=alpha_length / alpha_tokens if alpha_tokens else 0.0,
        vowel_ratio=vowels / latin if latin >= MIN_LATIN_LETTERS else None,
        unspaced_share=unspaced / letters if letters else 0.0,
        consonant_run_share=consonant_runs / latin_words if latin_words >= MIN_LATIN_WORDS else None,
    )


def noise_reasons(stats: TextStats) -> list[str]:
    """Why a text with these statistics is noise rather than prose; empty when it reads as prose (or is too short
    to tell)."""
    if stats.chars < MIN_CHARS:
        return []
    reasons = []
    if stats.alpha_share < 0.5:
        reasons.append(f"body {stats.alpha_share:.0%} letters")
    if stats.junk_share > 0.15:
        reasons.append(f"body {stats.junk_share:.0%} junk tokens")
    if stats.unspaced_share < 0.5:  # the word checks need words separated by spaces
        if stats.wordlike_share < 0.6:
            reasons.append(f"body {stats.wordlike_share:.0%} word-shaped tokens")
        if not 2.5 <= stats.mean_word_length <= 13:
            reasons.append(f"body words {stats.mean_word_length:.1f} letters on average")
        if stats.vowel_ratio is not None and not 0.2 <= stats.vowel_ratio <= 0.65:
            reasons.append(f"body {stats.vowel_ratio:.0%} vowels")
        if stats.consonant_run_share is not None and stats.consonant_run_share > MAX_CONSONANT_RUN_SHARE:
            reasons.append(f"body {stats.consonant_run_share:.0%} words with 4 consonants in a row")
    return ["body is noise (" + ", ".join(reasons) + ")"] if reasons else []


def _has_consonant_run(word: str, run: int = 4) -> bool:
    streak = 0
    for ch in word:
        streak = streak + 1 if ch.isalpha() and ch not in _VOWELS else 0
        if streak >= run:
            return True
    return False


def _unspaced(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN"))


def _is_word(word: str) -> bool:
    """Letters (with inner apostrophes or hyphens), of a length words have; a Latin word has a vowel."""
    if not 1 <= len(word) <= 25:
        return False
    core = word.replace("'", "").replace("’", "").replace("-", "").replace(".", "")
    if not core.isalpha():
        return False
    if any(_unspaced(ch) for ch in core[:1]):
        return True
    latin = [ch for ch in core.lower() if ch.isascii() or "LATIN" in unicodedata.name(ch, "")]
    return len(latin) < len(core) or len(core) <= 3 or any(ch in _VOWELS for ch in latin)


def _is_junk(token: str) -> bool:
    """A token no dictionary could hold: control or replacement characters, or letters tangled with symbols."""
    if any(ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") for ch in token):
        return True
    symbols = sum(1 for ch in token if unicodedata.category(ch)[0] in "SP" and ch not in _EDGE_PUNCTUATION)
    letters = sum(1 for ch in token if ch.isalpha())
    # "a$b%c" or "Ÿ¤¥" rather than "U.S." or "e-mail"
    return symbols >= 2 and symbols >= letters
