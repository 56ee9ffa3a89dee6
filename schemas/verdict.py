"""The plausibility gate's verdict on one article or comment thread (tasks/verify), before anything is written.

A rejected item becomes a failure at stage "verify" with reason "implausible" and `detail()` as its detail
("challenge page; body 7 words"): that string is the contract other code and the tests read.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

GATE_STAGE = "verify"
IMPLAUSIBLE = "implausible"


class Verdict(BaseModel):
    """Plausible or not, and why: `reasons` name what was wrong (or, for a pass, may stay empty)."""

    model_config = ConfigDict(frozen=True)

    plausible: bool
    reasons: list[str] = Field(default_factory=list)

    def detail(self) -> str:
        return "; ".join(self.reasons)


class TextStats(BaseModel):
    """Letter and word-shape statistics of a body's text: what tells prose from noise in any alphabet."""

    model_config = ConfigDict(frozen=True)

    chars: int  # non-space characters
    tokens: int  # whitespace-separated tokens
    alpha_share: float  # letters / non-space characters
    wordlike_share: float  # tokens that look like words (letters, plausible length, a vowel in Latin script)
    junk_share: float  # tokens with no place in any dictionary: control/replacement chars, letters mixed with symbols
    mean_word_length: float  # over alphabetic tokens
    vowel_ratio: float | None  # vowels / Latin letters; None with too few Latin letters to say
    # Latin words of 4+ letters with 4+ consonants in a row ("Deutschland" has one; random letters have many);
    # None with too few such words to say
    consonant_run_share: float | None = None
    unspaced_share: float  # letters of scripts written without spaces (CJK, Thai): word checks do not apply


class StoredThread(BaseModel):
    """What the warehouse holds of an article's comment thread, for the gate of a refresh."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    live_comments: int  # stored comments not marked deleted
