"""How search words become SQL: an FTS5 MATCH on SQLite, a tsquery on PostgreSQL.

What a user types never reaches the database as query syntax: each word becomes a quoted FTS5
phrase of its letters and digits (inside quotes NEAR, OR, *, - and ^ are plain text), or goes
through `phraseto_tsquery`, which has no operators at all. A word holding punctuation ("t_2",
"100%", "%") may also match literally inside a name, as the LIKE search it replaced did.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    column,
    func,
    literal_column,
    or_,
)
from sqlalchemy import select as select_
from sqlalchemy import table as table_
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

from store.models import Document
from store.search_terms import (
    ALL,
    NAMES,
    PLAIN,
    Term,
    fts5_phrase,
    fts5_query,
    literal_param,
    name_param,
    phrase_param,
    shape,
    terms_of,
    tokens_param,
    values,
)

__all__ = ["Term", "fts5_phrase", "fts5_query", "shape", "terms_of", "values"]

# Made by migration 0009, outside the models (store.search tells the model comparison).
FTS5_TABLE = "documents_fts"
FTS5_SHADOW_TABLES = tuple(f"{FTS5_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config"))
SQLITE_VISIBLE_INDEX = "ix_documents_search_visible"  # visibility read without the text's pages
PG_VECTOR_COLUMN, PG_NAME_VECTOR_COLUMN = "search_vector", "name_vector"
PG_VECTOR_INDEX = "ix_documents_search"
# Made by migration 0021: names alone (GIN), and the newest first, read in order with what the
# visibility filter needs (SQLite: covering), so a common word's page is read without a sort.
PG_NAME_INDEX = "ix_documents_name_search"
NEWEST_INDEX = "ix_documents_search_newest"
PG_CONFIG = "qabot_english"

NAME_WEIGHT, TEXT_WEIGHT = 10.0, 1.0  # FTS5 bm25 column weights (PostgreSQL: weights 'A' and 'C')


AnySelect = Select[*tuple[Any, ...]]


def _sqlite_table_hint(compiler: SQLiteCompiler, table: object, text: str) -> str:
    return text


# SQLAlchemy renders `with_hint(…, "sqlite")` only where the dialect says how; SQLite's says
# nothing, so the hint is written as given: `documents INDEXED BY <index>`. Without it SQLite's
# planner, which cannot know that most documents have no Section 11 return, reads a common
# word's matches through the index on `s11_return_id` (every row's text pages) instead of the
# newest-first index.
SQLiteCompiler.get_from_hint_text = _sqlite_table_hint  # type: ignore[assignment,method-assign]


# The words are named parameters (store/search_terms.py): one statement per search shape.
def _p(name: str) -> BindParameter[str]:
    return bindparam(name, type_=String())


def _name_contains(i: int) -> ColumnElement[bool]:
    return func.lower(Document.name).like(_p(literal_param(i)), escape="\\")


def _count(conds: list[ColumnElement[bool]]) -> ColumnElement[int]:
    total: ColumnElement[int] = case((conds[0], 1), else_=0)
    for cond in conds[1:]:
        total = total + case((cond, 1), else_=0)
    return total


class SearchSQL(Protocol):
    def newest_index(self, stmt: AnySelect) -> AnySelect:
        """`stmt` read through the newest-first index (where the planner must be told)."""

    def by_id(self, stmt: AnySelect) -> AnySelect:
        """`stmt`, whose matches are found by id, reading their visibility from the index that
        holds it (where the planner must be told)."""

    def matching(self, terms: list[Term], *, walk: bool = False) -> ColumnElement[bool]:
        """Documents matching every term (`walk`: checked row by row while the newest-first
        index is read, rather than looked up from the matches)."""

    def matched(self, terms: list[Term]) -> AnySelect:
        """The ids of the documents matching every term, cheapest to count."""

    def ranked(self, terms: list[Term]) -> tuple[AnySelect, ColumnElement[Any] | None]:
        """The matching ids with their relevance, and the best-first ordering (None: no score)."""

    def name_hits(self, terms: list[Term]) -> ColumnElement[int]:
        """How many of the terms a document's name holds."""

    def names_hold_all(self, terms: list[Term], *, walk: bool = False) -> ColumnElement[bool]:
        """Documents whose names hold every term (such a document matches them all)."""

    def named(self, terms: list[Term]) -> AnySelect:
        """The ids of the documents whose names hold every term, whoever may see them."""


class SqliteSearch:
    _fts = table_(FTS5_TABLE, column("rowid", Integer))
    _self: ColumnElement[Any] = literal_column(FTS5_TABLE)  # FTS5's hidden column named as its table

    def _ids(self, param: str) -> AnySelect:
        return select_(self._fts.c.rowid).where(self._self.match(_p(param)))

    def _term(self, i: int, t: Term, in_name: bool = False) -> ColumnElement[bool]:
        by_name = _name_contains(i) if t.literal is not None else None
        if not t.tokens:
            assert by_name is not None  # a term has tokens, punctuation, or both
            return by_name
        found = Document.id.in_(self._ids(name_param(i) if in_name else phrase_param(i)))
        return found if by_name is None else or_(found, by_name)

    def newest_index(self, stmt: AnySelect) -> AnySelect:
        return stmt.with_hint(Document, f"INDEXED BY {NEWEST_INDEX}", "sqlite")

    def by_id(self, stmt: AnySelect) -> AnySelect:
        # The visibility columns come after a document's ~4 KB of text in its row, on its
        # overflow pages: looked up by primary key, every match's overflow pages are read (a
        # common word's capped count: 1,001 rows, most of a search's time). The visibility
        # index holds them, keyed by id.
        return stmt.with_hint(Document, f"INDEXED BY {SQLITE_VISIBLE_INDEX}", "sqlite")

    @staticmethod
    def _id(walk: bool) -> ColumnElement[int]:
        # `id + 0` is no index column: SQLite then reads the newest-first index in order and
        # checks each row against the matches, instead of sorting every match by date.
        plain: ColumnElement[int] = Document.id.expression
        return plain + 0 if walk else plain

    def matching(self, terms: list[Term], *, walk: bool = False) -> ColumnElement[bool]:
        plain = any(t.literal is None for t in terms)
        conds = [self._id(walk).in_(self._ids(PLAIN))] if plain else []
        return and_(*conds, *[self._term(i, t) for i, t in enumerate(terms) if t.literal is not None])

    def matched(self, terms: list[Term]) -> AnySelect:
        if any(t.literal is not None for t in terms):
            return select_(Document.id).where(self.matching(terms))
        # A join streams the matches; `IN (…)` would first gather every one of them.
        joined = self._fts.join(Document.__table__, Document.id == self._fts.c.rowid)
        return self.by_id(select_(Document.id).select_from(joined).where(self._self.match(_p(ALL))))

    def ranked(self, terms: list[Term]) -> tuple[AnySelect, ColumnElement[Any] | None]:
        if not any(t.tokens for t in terms):  # only punctuation typed ("%"): literal name
            return select_(Document.id).where(self.matching(terms)), None  # matches, newest first
        hits = (
            select_(
                self._fts.c.rowid.label("doc_id"),
                func.bm25(self._self, NAME_WEIGHT, TEXT_WEIGHT).label("score"),
            )
            .where(self._self.match(_p(ALL)))
            .subquery("hits")
        )
        score = func.coalesce(hits.c.score, 0.0).label("score")  # bm25: lower is better
        if all(t.literal is None for t in terms):
            joined = select_(Document.id, score).join(hits, hits.c.doc_id == Document.id)
            return self.by_id(joined), score.asc()
        stmt = select_(Document.id, score).outerjoin(hits, hits.c.doc_id == Document.id)
        return stmt.where(self.matching(terms)), score.asc()

    def name_hits(self, terms: list[Term]) -> ColumnElement[int]:
        return _count([self._term(i, t, in_name=True) for i, t in enumerate(terms)])

    def names_hold_all(self, terms: list[Term], *, walk: bool = False) -> ColumnElement[bool]:
        if all(t.literal is None for t in terms):  # one MATCH on the name column
            return self._id(walk).in_(self._ids(NAMES))
        return and_(*[self._term(i, t, in_name=True) for i, t in enumerate(terms)])

    def named(self, terms: list[Term]) -> AnySelect:
        if all(t.literal is None for t in terms):
            return self._ids(NAMES)
        return select_(Document.id).where(self.names_hold_all(terms))


class PostgresSearch:
    _vector = literal_column(f"{Document.__tablename__}.{PG_VECTOR_COLUMN}", type_=TSVECTOR)
    _name_vector = literal_column(f"{Document.__tablename__}.{PG_NAME_VECTOR_COLUMN}", type_=TSVECTOR)

    @staticmethod
    def _tsquery(terms: Sequence[tuple[int, Term]]) -> ColumnElement[Any] | None:
        """phraseto_tsquery per term, AND-ed (&&); a term of stop words only is dropped by &&."""
        query: ColumnElement[Any] | None = None
        for i, t in terms:
            if t.tokens:
                one = func.phraseto_tsquery(literal_column(f"'{PG_CONFIG}'::regconfig"), _p(tokens_param(i)))
                query = one if query is None else query.op("&&")(one)
        return query

    def _term(self, i: int, t: Term, vector: ColumnElement[Any]) -> ColumnElement[bool]:
        by_name = _name_contains(i) if t.literal is not None else None
        query = self._tsquery([(i, t)])
        if query is None:
            assert by_name is not None  # a term has tokens, punctuation, or both
            return by_name
        found = vector.op("@@", return_type=Boolean)(query)
        return found if by_name is None else or_(found, by_name)

    def matching(self, terms: list[Term], *, walk: bool = False) -> ColumnElement[bool]:
        conds: list[ColumnElement[bool]] = []
        plain = self._tsquery([(i, t) for i, t in enumerate(terms) if t.literal is None])
        if plain is not None:
            matched: ColumnElement[bool] = self._vector.op("@@", return_type=Boolean)(plain)
            if any(t.literal is not None for t in terms):  # stop words alone must not exclude all
                matched = or_(func.numnode(plain) == 0, matched)
            conds.append(matched)
        literal = [self._term(i, t, self._vector) for i, t in enumerate(terms) if t.literal is not None]
        return and_(*conds, *literal)

    def ranked(self, terms: list[Term]) -> tuple[AnySelect, ColumnElement[Any] | None]:
        everything = self._tsquery(list(enumerate(terms)))
        stmt = select_(Document.id).where(self.matching(terms))
        if everything is None:  # only punctuation typed ("%"): literal name matches, newest first
            return stmt, None
        score = func.ts_rank(self._vector, everything).label("score")  # higher is better
        return stmt.add_columns(score), score.desc()

    def name_hits(self, terms: list[Term]) -> ColumnElement[int]:
        return _count([self._term(i, t, self._name_vector) for i, t in enumerate(terms)])

    def matched(self, terms: list[Term]) -> AnySelect:
        plain = self._tsquery(list(enumerate(terms)))
        if plain is None or any(t.literal is not None for t in terms):
            return select_(Document.id).where(self.matching(terms))
        # The query as a value computed once (an InitPlan), not a constant the planner can
        # read: for a common word it then estimates few matches and reads them from the GIN
        # index (a bitmap), instead of scanning the table and unpacking each row's ~3 KB
        # vector out of TOAST until 1,001 match (10-20x the time: the planner does not
        # count the unpacking). Only the count is fenced: the newest-first reads need the
        # real estimate.
        once = select_(plain).scalar_subquery()
        return select_(Document.id).where(self._vector.op("@@", return_type=Boolean)(once))

    def newest_index(self, stmt: AnySelect) -> AnySelect:
        return stmt  # the planner chooses it for a common word: its statistics are good there

    def by_id(self, stmt: AnySelect) -> AnySelect:
        return stmt

    def names_hold_all(self, terms: list[Term], *, walk: bool = False) -> ColumnElement[bool]:
        # PostgreSQL's planner chooses the walk itself for a common word (its statistics are
        # good there); store.search fences the other case so it cannot.
        return and_(*[self._term(i, t, self._name_vector) for i, t in enumerate(terms)])

    def named(self, terms: list[Term]) -> AnySelect:
        return select_(Document.id).where(self.names_hold_all(terms))


def for_dialect(name: str) -> SearchSQL:
    return _POSTGRES if name == "postgresql" else _SQLITE


_POSTGRES, _SQLITE = PostgresSearch(), SqliteSearch()
