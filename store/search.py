"""Full-text search over documents: SQLite FTS5 or a PostgreSQL tsvector, chosen by the dialect.

The index itself is built by migration 0009 and kept in step by the database (FTS5 triggers, a
generated column), so every write path (the sync's upserts, renames, deletions) is covered.
Names weigh above text; the folder path is not indexed. What a user types never reaches the
database as query syntax: each word becomes a quoted phrase of its letters and digits (FTS5)
or goes through `phraseto_tsquery` (PostgreSQL), which has no operators at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Select,
    and_,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Session

from store.models import Document

# Objects migration 0009 creates outside the models; the model/migration comparison skips them.
FTS5_TABLE = "documents_fts"
FTS5_SHADOW_TABLES = tuple(f"{FTS5_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config"))
PG_VECTOR_COLUMN = "search_vector"
PG_VECTOR_INDEX = "ix_documents_search"
PG_CONFIG = "qabot_english"

NAME_WEIGHT, TEXT_WEIGHT = 10.0, 1.0  # FTS5 bm25 column weights (PostgreSQL: weights 'A' and 'C')

_TOKEN = re.compile(r"[^\W_]+")  # letters and digits: what both tokenizers keep
_NOT_PUNCTUATION = re.compile(r"[^\W_]|\s")

AnySelect = Select[*tuple[Any, ...]]
Restrict = Callable[[AnySelect], AnySelect]  # the caller's visibility filter, added to a query
Ranked = tuple[AnySelect, ColumnElement[Any] | None]  # the ids matching, and "best first"


def is_search_index(name: str | None, type_: str, parent_table: str | None = None) -> bool:
    """True for the search index's tables, column and index, which the models do not describe."""
    if type_ == "table":
        return name == FTS5_TABLE or name in FTS5_SHADOW_TABLES
    if type_ == "column":
        return name == PG_VECTOR_COLUMN and parent_table == Document.__tablename__
    if type_ == "index":
        return name == PG_VECTOR_INDEX
    return False


def outside_search_index(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's include_object hook: autogenerate and the model comparison skip the index."""
    table = getattr(getattr(obj, "table", None), "name", None)
    return not is_search_index(name, type_, table)


@dataclass(frozen=True)
class Term:
    """One word (or quoted phrase) as typed: its tokens, and the word itself when it holds
    punctuation ("t_2", "100%", "%"), which is then also looked for literally inside names."""

    tokens: tuple[str, ...]
    literal: str | None = None


def terms_of(words: Sequence[str]) -> list[Term]:
    out: list[Term] = []
    for word in words:
        # NUL can never be stored in PostgreSQL text, so it can never be found either.
        word = unicodedata.normalize("NFC", word.replace("\x00", "")).strip()
        if not word:
            continue
        tokens = tuple(t.lower() for t in _TOKEN.findall(word))
        has_punctuation = _NOT_PUNCTUATION.sub("", word) != ""
        out.append(Term(tokens, word.lower() if has_punctuation else None))
    return out


def fts5_phrase(tokens: Sequence[str]) -> str:
    """A quoted FTS5 string: inside quotes NEAR, OR, *, - and ^ are plain text."""
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def fts5_query(terms: Sequence[Term]) -> str:
    """Every term's phrase, all required (empty when no term has a token)."""
    return " AND ".join(fts5_phrase(t.tokens) for t in terms if t.tokens)


def _name_contains(text: str) -> ColumnElement[bool]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(Document.name).like(f"%{escaped}%", escape="\\")


# ---- SQLite: FTS5 -----------------------------------------------------------------------------

_fts = table(FTS5_TABLE, column("rowid", Integer))
_fts_self: ColumnElement[Any] = literal_column(FTS5_TABLE)  # FTS5's hidden column named after its table


def _fts5_ids(expr: str) -> AnySelect:
    return select(_fts.c.rowid).where(_fts_self.match(expr))


def _sqlite_ranked(terms: list[Term]) -> Ranked:
    """Documents matching every term, best first by bm25 (lower is better)."""
    literal_terms = [t for t in terms if t.literal is not None]
    everything = fts5_query(terms)
    if not everything:  # only punctuation typed ("%"): literal name matches, newest first
        return select(Document.id).where(*[_name_contains(t.literal or "") for t in literal_terms]), None
    hits = (
        select(
            _fts.c.rowid.label("doc_id"),
            func.bm25(_fts_self, NAME_WEIGHT, TEXT_WEIGHT).label("score"),
        )
        .where(_fts_self.match(everything))
        .subquery("hits")
    )
    score = func.coalesce(hits.c.score, 0.0).label("score")
    if not literal_terms:
        return select(Document.id, score).join(hits, hits.c.doc_id == Document.id), score.asc()
    # A word with punctuation may match literally in a name instead: outer join, one test per term.
    conds: list[ColumnElement[bool]] = []
    plain = fts5_query([t for t in terms if t.literal is None])
    if plain:
        conds.append(Document.id.in_(_fts5_ids(plain)))
    for t in literal_terms:
        by_name = _name_contains(t.literal or "")
        conds.append(or_(Document.id.in_(_fts5_ids(fts5_phrase(t.tokens))), by_name) if t.tokens else by_name)
    stmt = select(Document.id, score).outerjoin(hits, hits.c.doc_id == Document.id)
    return stmt.where(and_(*conds)), score.asc()


# ---- PostgreSQL: tsvector ---------------------------------------------------------------------

_vector = literal_column(f"{Document.__tablename__}.{PG_VECTOR_COLUMN}", type_=TSVECTOR)


def _tsquery(terms: Sequence[Term]) -> ColumnElement[Any] | None:
    """phraseto_tsquery per term, AND-ed (&&); a term of stop words only is dropped by &&."""
    query: ColumnElement[Any] | None = None
    for t in terms:
        if not t.tokens:
            continue
        one = func.phraseto_tsquery(literal_column(f"'{PG_CONFIG}'::regconfig"), " ".join(t.tokens))
        query = one if query is None else query.op("&&")(one)
    return query


def _matches(query: ColumnElement[Any]) -> ColumnElement[bool]:
    return _vector.op("@@", return_type=Boolean)(query)


def _postgres_ranked(terms: list[Term]) -> Ranked:
    """Documents matching every term, best first by ts_rank (higher is better)."""
    literal_terms = [t for t in terms if t.literal is not None]
    everything = _tsquery(terms)
    if everything is None:  # only punctuation typed ("%"): literal name matches, newest first
        return select(Document.id).where(*[_name_contains(t.literal or "") for t in literal_terms]), None
    score = func.ts_rank(_vector, everything).label("score")
    stmt = select(Document.id, score)
    if not literal_terms:
        return stmt.where(_matches(everything)), score.desc()
    conds: list[ColumnElement[bool]] = []
    plain = _tsquery([t for t in terms if t.literal is None])
    if plain is not None:  # numnode 0: only stop words, which must not exclude everything
        conds.append(or_(func.numnode(plain) == 0, _matches(plain)))
    for t in literal_terms:
        by_name = _name_contains(t.literal or "")
        one = _tsquery([t])
        conds.append(or_(_matches(one), by_name) if one is not None else by_name)
    return stmt.where(and_(*conds)), score.desc()


# ---- both ------------------------------------------------------------------------------------


def find(
    session: Session, words: Sequence[str], *, restrict: Restrict, limit: int = 10
) -> tuple[list[Document], int]:
    """Documents matching every word (stemmed, accents and case folded, whole words), the best
    first, then the newest; `restrict` adds the caller's visibility filter. Also how many match."""
    terms = terms_of(words)
    if not terms:
        return [], 0
    ranked = _postgres_ranked if session.get_bind().dialect.name == "postgresql" else _sqlite_ranked
    stmt, best_first = ranked(terms)
    stmt = restrict(stmt.add_columns(func.count().over().label("total")))
    if best_first is not None:
        stmt = stmt.order_by(best_first)
    stmt = stmt.order_by(Document.modified_at.desc().nulls_last(), Document.id.desc())
    rows = session.execute(stmt.limit(limit)).all()
    if not rows:
        return [], 0
    order = [row.id for row in rows]
    loaded = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(order)))}
    return [loaded[i] for i in order if i in loaded], int(rows[0].total)
