"""Full-text search over documents: SQLite FTS5 or a PostgreSQL tsvector, chosen by the dialect.

The index is built by migration 0009 and kept in step by the database itself (FTS5 triggers,
generated columns), so every write path (the sync's upserts, renames, deletions) is covered.
Names weigh above text; the folder path is not indexed, so folder words do not make every file
beneath them match. How words become SQL is in store/search_sql.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import ColumnElement, case, func, select
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


def find(
    session: Session,
    words: Sequence[str],
    *,
    restrict: Restrict,
    limit: int = 10,
    rank_limit: int = RANK_LIMIT,
    count_cap: int = COUNT_CAP,
) -> tuple[list[Document], int]:
    """Documents matching every word (stemmed, accents and case folded, whole words) and how many
    match, counted up to `count_cap` + 1 (more means "more than `count_cap`"); `restrict` adds
    the caller's visibility filter. Up to `rank_limit` matches are ranked by relevance (name above
    text), then the newest; beyond that, scoring every match would cost more than the answer is
    worth, so the documents whose names hold the most words come first, then the newest."""
    terms = search_sql.terms_of(words)
    if not terms:
        return [], 0
    sql = search_sql.for_dialect(session.get_bind().dialect.name)
    matching = sql.matching(terms)
    total, named = _counts(session, sql, terms, restrict, rank_limit, count_cap)
    if total == 0:
        return [], 0
    loaded: dict[int, Document] = {}  # pages read whole (the newest-first walks) need no second read
    if named is None:
        order = _ranked(session, sql, terms, restrict, limit)
    else:
        order = _names_first(session, sql, terms, matching, restrict, limit, named >= WALK_FROM, loaded)
    missing = [i for i in order if i not in loaded]
    if missing:
        loaded.update((d.id, d) for d in session.scalars(select(Document).where(Document.id.in_(missing))))
    return [loaded[i] for i in order if i in loaded], total


def _counts(
    session: Session,
    sql: search_sql.SearchSQL,
    terms: list[search_sql.Term],
    restrict: Restrict,
    rank_limit: int,
    count_cap: int,
) -> tuple[int, int | None]:
    """How many match (visibility included), up to `count_cap` + 1, and, when that is more than
    `rank_limit` (the names decide the order), how many names hold every word, whoever may see
    them, up to WALK_FROM: one round trip. Counting stops past the cap: a common word matches a
    fifth of the library, and counting (visibility included) every one of them was most of a
    search's time. The names are counted only when needed (a CASE's uncorrelated subquery is
    run on demand by both databases)."""
    counted = restrict(sql.matched(terms)).limit(count_cap + 1).subquery()
    total = select(func.count().label("n")).select_from(counted).subquery("total")
    named = select(func.count()).select_from(sql.named(terms).limit(WALK_FROM).subquery()).scalar_subquery()
    row = session.execute(select(total.c.n, case((total.c.n > rank_limit, named)))).one()
    return int(row[0] or 0), (None if row[1] is None else int(row[1]))


def _newest_first(stmt: AnySelect) -> AnySelect:
    return stmt.order_by(Document.modified_at.desc().nulls_last(), Document.id.desc())


def _newest(
    session: Session,
    sql: search_sql.SearchSQL,
    stmt: AnySelect,
    limit: int,
    walk: bool,
    loaded: dict[int, Document],
) -> list[int]:
    """The newest `limit` ids `stmt` selects: read in index order when the matches are many
    (`walk`), else sorted from the matches, fenced so that the planner cannot walk the whole
    index looking for a few. A walk reads the documents themselves (into `loaded`): only the
    page's rows are read whole, and the page needs no second round trip."""
    if walk:
        docs = session.scalars(_newest_first(sql.newest_index(stmt.with_only_columns(Document))).limit(limit))
        page = list(docs)
        loaded.update((d.id, d) for d in page)
        return [d.id for d in page]
    few = stmt.add_columns(Document.modified_at).offset(0).subquery()
    ordered = select(few.c.id).order_by(few.c.modified_at.desc().nulls_last(), few.c.id.desc())
    return list(session.scalars(ordered.limit(limit)))


def _ranked(
    session: Session, sql: search_sql.SearchSQL, terms: list[search_sql.Term], restrict: Restrict, limit: int
) -> list[int]:
    stmt, best_first = sql.ranked(terms)
    stmt = restrict(stmt)
    if best_first is not None:
        stmt = stmt.order_by(best_first)
    return [row[0] for row in session.execute(_newest_first(stmt).limit(limit))]


def _names_first(
    session: Session,
    sql: search_sql.SearchSQL,
    terms: list[search_sql.Term],
    matching: ColumnElement[bool],
    restrict: Restrict,
    limit: int,
    walk: bool,
    loaded: dict[int, Document],
) -> list[int]:
    """Names holding the most words first, then the newest, read tier by tier: the documents
    whose names hold every word, newest first, usually fill the page without sorting every
    match; the rest only when they do not (all of it for several words, by how many each name
    holds). `walk`: the names holding every word are many (WALK_FROM or more)."""
    in_name = sql.names_hold_all(terms, walk=walk)
    plain = all(t.literal is None for t in terms)  # found by id only (a literal is looked for in names)
    named_first = restrict(select(Document.id).where(in_name))
    first_stmt = sql.by_id(named_first) if plain and not walk else named_first
    first = _newest(session, sql, first_stmt, limit, walk, loaded)
    if len(first) == limit:
        return first
    if len(terms) == 1:  # the rest hold the word in their text only: many (the search matched
        # more than the rank limit), so read newest-first
        rest = restrict(select(Document.id).where(sql.matching(terms, walk=True), ~in_name))
        return first + _newest(session, sql, rest, limit - len(first), True, loaded)
    hits = sql.name_hits(terms).label("name_hits")
    stmt = restrict(select(Document.id, hits).where(matching)).order_by(hits.desc())
    if plain:
        stmt = sql.by_id(stmt)
    return [row[0] for row in session.execute(_newest_first(stmt).limit(limit))]
