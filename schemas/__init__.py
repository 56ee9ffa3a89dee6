"""pydantic models passed between the pipeline stages; no I/O lives here."""

from schemas.pipeline import (
    Discovery,
    DiscoveryWindow,
    FetchedTarget,
    FetchFailure,
    ParsedArticle,
    ParsedComment,
    RawResponse,
    Target,
    TargetKind,
    Validators,
)
from schemas.report import FailureRecord, RunReport
from schemas.rows import (
    ArticleAuthorRow,
    ArticleRow,
    AuthorAliasRow,
    AuthorRow,
    CommentRow,
    NormalizedArticle,
)
from schemas.source import Politeness, Selectors, Source, SourcesFile

__all__ = [
    "ArticleAuthorRow",
    "ArticleRow",
    "AuthorAliasRow",
    "AuthorRow",
    "CommentRow",
    "Discovery",
    "DiscoveryWindow",
    "FailureRecord",
    "FetchFailure",
    "FetchedTarget",
    "NormalizedArticle",
    "ParsedArticle",
    "ParsedComment",
    "Politeness",
    "RawResponse",
    "RunReport",
    "Selectors",
    "Source",
    "SourcesFile",
    "Target",
    "TargetKind",
    "Validators",
]
