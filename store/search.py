"""Full-text search over documents: SQLite FTS5 or a PostgreSQL tsvector, chosen by the dialect.

The index is built by migration 0009 and kept in step by the database itself (FTS5 triggers,
generated columns), so every write path (the sync's upserts, renames, deletions) is covered.
Names weigh above text; the folder path is not indexed, so folder words do not make every file
beneath them match. How words become SQL is in store/search_sql.py.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from store import search_sql
from store.models import Document
from store.search_sql import AnySelect

COUNT_CAP = 1000  # matches counted: beyond it a search says "more than 1,000"
RANK_LIMIT = 1000  # matches scored for relevance; a search matching more ranks by name, then date
WALK_FROM = 200  # from this many name matches, reading newest-first beats sorting them all

Restrict = Callable[[AnySelect], AnySelect]  # the caller's visibility filter, added to a query


def is_search_index(name: str | None, type_: str, parent_table: str | None = None) -> bool:
    """True for the search index's tables, columns and indexes, which the models do not describe."""
    if type_ == "table":
        return name == search_sql.FTS5_TABLE or name in search_sql.FTS5_SHADOW_TABLES
    if type_ == "column":
        vectors = (search_sql.PG_VECTOR_COLUMN, search_sql.PG_NAME_VECTOR_COLUMN)
        return name in vectors and parent_table == Document.__tablename__
    if type_ == "index":
        return name in (
            search_sql.PG_VECTOR_INDEX,
            search_sql.SQLITE_VISIBLE_INDEX,
            search_sql.PG_NAME_INDEX,
            search_sql.NEWEST_INDEX,
        )
    return False


def outside_search_index(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's include_object hook: autogenerate and the model comparison skip the index."""
    table = getattr(getattr(obj, "table", None), "name", None)
    return not is_search_index(name, type_, table)


# ---- both ------------------------------------------------------------------------------------

_UNCACHED = object()  # `restrict_key` for a filter that cannot be named: statements built each time
_STATEMENTS: dict[Hashable, AnySelect] = {}
_STATEMENTS_MAX = 512
_LOAD = select(Document).where(Document.id.in_(bindparam("ids", expanding=True)))


class _Statements:
    """One search's statements, built once per shape (dialect, which terms hold punctuation,
    the visibility filter, the limits) and kept: the words are parameters (`values`), so the
    next search of the same shape reuses the statement, its cache key and its compiled SQL
    (building them was ~0.5 ms of every search)."""

    def __init__(
        self, session: Session, terms: list[search_sql.Term], restrict: Restrict, restrict_key: Hashable
    ) -> None:
        dialect = session.get_bind().dialect.name
        self.session, self.terms, self.restrict = session, terms, restrict
        self.sql = search_sql.for_dialect(dialect)
        self.values = search_sql.values(terms)
        self._key = None if restrict_key is _UNCACHED else (dialect, search_sql.shape(terms), restrict_key)

    def get(self, build: Callable[[], AnySelect], *kind: Hashable) -> AnySelect:
        if self._key is None:
            return build()
        key = (self._key, kind)
        found = _STATEMENTS.get(key)
        if found is None:
            if len(_STATEMENTS) >= _STATEMENTS_MAX:
                _STATEMENTS.clear()
            found = _STATEMENTS[key] = build()
        return found

    def rows(self, stmt: AnySelect) -> list[Any]:
        return list(self.session.execute(stmt, self.values))

    def ids(self, stmt: AnySelect) -> list[int]:
        return list(self.session.scalars(stmt, self.values))


def find(
    session: Session,
    words: Sequence[str],
    *,
    restrict: Restrict,
    restrict_key: Hashable = _UNCACHED,
    limit: int = 10,
    rank_limit: int = RANK_LIMIT,
    count_cap: int = COUNT_CAP,
) -> tuple[list[Document], int]:
    """Documents matching every word (stemmed, accents and case folded, whole words) and how many
    match, counted up to `count_cap` + 1 (more means "more than `count_cap`"); `restrict` adds
    the caller's visibility filter (`restrict_key` names it: the same key, the same filter, so
    statements are kept per key). Up to `rank_limit` matches are ranked by relevance (name above
    text), then the newest; beyond that, scoring every match would cost more than the answer is
    worth, so the documents whose names hold the most words come first, then the newest."""
    terms = search_sql.terms_of(words)
    if not terms:
        return [], 0
    st = _Statements(session, terms, restrict, restrict_key)
    total, named = _counts(st, rank_limit, count_cap)
    if total == 0:
        return [], 0
    loaded: dict[int, Document] = {}  # pages read whole (the newest-first walks) need no second read
    order = _ranked(st, limit) if named is None else _names_first(st, limit, named >= WALK_FROM, loaded)
    missing = [i for i in order if i not in loaded]
    if missing:
        loaded.update((d.id, d) for d in session.scalars(_LOAD, {"ids": missing}))
    return [loaded[i] for i in order if i in loaded], total


def _counts(st: _Statements, rank_limit: int, count_cap: int) -> tuple[int, int | None]:
    """How many match (visibility included), up to `count_cap` + 1, and, when that is more than
    `rank_limit` (the names decide the order), how many names hold every word, whoever may see
    them, up to WALK_FROM: one round trip. Counting stops past the cap: a common word matches a
    fifth of the library, and counting (visibility included) every one of them was most of a
    search's time. The names are counted only when needed (a CASE's uncorrelated subquery is
    run on demand by both databases)."""

    def build() -> AnySelect:
        sql, terms = st.sql, st.terms
        counted = st.restrict(sql.matched(terms)).limit(count_cap + 1).subquery()
        total = select(func.count().label("n")).select_from(counted).subquery("total")
        named = select(func.count()).select_from(sql.named(terms).limit(WALK_FROM).subquery())
        return select(total.c.n, case((total.c.n > rank_limit, named.scalar_subquery())))

    row = st.rows(st.get(build, "counts", rank_limit, count_cap, WALK_FROM))[0]
    return int(row[0] or 0), (None if row[1] is None else int(row[1]))


def _newest_first(stmt: AnySelect) -> AnySelect:
    return stmt.order_by(Document.modified_at.desc().nulls_last(), Document.id.desc())


def _newest(st: _Statements, stmt: AnySelect, limit: int, walk: bool) -> AnySelect:
    """The newest `limit` ids `stmt` selects: read in index order when the matches are many
    (`walk`), else sorted from the matches, fenced so that the planner cannot walk the whole
    index looking for a few. A walk reads the documents themselves: only the page's rows are
    read whole, and the page needs no second round trip."""
    if walk:
        return _newest_first(st.sql.newest_index(stmt.with_only_columns(Document))).limit(limit)
    few = stmt.add_columns(Document.modified_at).offset(0).subquery()
    ordered = select(few.c.id).order_by(few.c.modified_at.desc().nulls_last(), few.c.id.desc())
    return ordered.limit(limit)


def _read_newest(st: _Statements, stmt: AnySelect, walk: bool, loaded: dict[int, Document]) -> list[int]:
    if not walk:
        return st.ids(stmt)
    page = list(st.session.scalars(stmt, st.values))
    loaded.update((d.id, d) for d in page)
    return [d.id for d in page]


def _ranked(st: _Statements, limit: int) -> list[int]:
    def build() -> AnySelect:
        stmt, best_first = st.sql.ranked(st.terms)
        stmt = st.restrict(stmt)
        if best_first is not None:
            stmt = stmt.order_by(best_first)
        return _newest_first(stmt).limit(limit)

    return [row[0] for row in st.rows(st.get(build, "ranked", limit))]


def _names_first(st: _Statements, limit: int, walk: bool, loaded: dict[int, Document]) -> list[int]:
    """Names holding the most words first, then the newest, read tier by tier: the documents
    whose names hold every word, newest first, usually fill the page without sorting every
    match; the rest only when they do not (all of it for several words, by how many each name
    holds). `walk`: the names holding every word are many (WALK_FROM or more)."""
    sql, terms, restrict = st.sql, st.terms, st.restrict
    plain = all(t.literal is None for t in terms)  # found by id only (a literal is looked for in names)

    def build_first() -> AnySelect:
        named_first = restrict(select(Document.id).where(sql.names_hold_all(terms, walk=walk)))
        return _newest(st, sql.by_id(named_first) if plain and not walk else named_first, limit, walk)

    first = _read_newest(st, st.get(build_first, "first", limit, walk), walk, loaded)
    if len(first) == limit:
        return first
    left = limit - len(first)
    if len(terms) == 1:  # the rest hold the word in their text only: many (the search matched
        # more than the rank limit), so read newest-first

        def build_rest() -> AnySelect:
            in_name = sql.names_hold_all(terms, walk=walk)
            rest = restrict(select(Document.id).where(sql.matching(terms, walk=True), ~in_name))
            return _newest(st, rest, left, True)

        return first + _read_newest(st, st.get(build_rest, "rest", left, walk), True, loaded)

    def build_hits() -> AnySelect:
        hits = sql.name_hits(terms).label("name_hits")
        stmt = restrict(select(Document.id, hits).where(sql.matching(terms))).order_by(hits.desc())
        return _newest_first(sql.by_id(stmt) if plain else stmt).limit(limit)

    return [row[0] for row in st.rows(st.get(build_hits, "hits", limit))]
