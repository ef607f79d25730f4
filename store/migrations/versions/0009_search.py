"""search: a full-text index over documents, built for the documents already stored.

SQLite: an external-content FTS5 table `documents_fts` (name, content_text) over `documents`,
kept in step by triggers (insert, delete, and an update of the name or the text), and an index
that holds what the visibility filter reads, so a search does not read every match's text pages.
PostgreSQL: a generated, weighted `search_vector` column (name 'A', text 'C') with a GIN index,
and a small generated `name_vector` (read inline, where the big vector must be de-toasted), in
a text search configuration `qabot_english` (english, accents removed when the server has the
unaccent extension).

Neither is in the SQLAlchemy models (store/search.py names them, and the model comparison
skips them). The folder path is deliberately not indexed: folder words must not make every
file beneath them match.

Careful, later migrations: on SQLite, `batch_alter_table("documents")` recreates the table,
which drops these triggers. A migration that does so must recreate them and 'rebuild'.

Revision ID: 0009
Revises: 0008
"""

import logging

from alembic import op
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

SQLITE_UP = [
    """CREATE VIRTUAL TABLE documents_fts USING fts5(
        name, content_text, content='documents', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, name, content_text) VALUES (new.id, new.name, new.content_text);
    END""",
    """CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, name, content_text)
        VALUES ('delete', old.id, old.name, old.content_text);
    END""",
    # Only a changed name or text re-indexes: the sync touches synced_at on every item it sees.
    """CREATE TRIGGER documents_fts_update AFTER UPDATE OF name, content_text ON documents
    WHEN old.name IS NOT new.name OR old.content_text IS NOT new.content_text BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, name, content_text)
        VALUES ('delete', old.id, old.name, old.content_text);
        INSERT INTO documents_fts(rowid, name, content_text) VALUES (new.id, new.name, new.content_text);
    END""",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
    "CREATE INDEX ix_documents_search_visible ON documents (id, deleted, is_folder, s11_return_id, modified_at)",
]

SQLITE_DOWN = [
    "DROP INDEX IF EXISTS ix_documents_search_visible",
    "DROP TRIGGER IF EXISTS documents_fts_update",
    "DROP TRIGGER IF EXISTS documents_fts_delete",
    "DROP TRIGGER IF EXISTS documents_fts_insert",
    "DROP TABLE IF EXISTS documents_fts",
]

# '.', '_' and '/' become spaces so "Audit_2027.docx" is three words, as FTS5's tokenizer sees
# it (PostgreSQL's parser would keep it whole as a file name). The text is capped because a
# tsvector holds at most 1 MB: 200,000 characters of short unique codes stay well below it.
PG_NAME_VECTOR = "to_tsvector('qabot_english'::regconfig, translate(coalesce(name, ''), '._/', '   '))"
PG_VECTOR = f"""
    setweight({PG_NAME_VECTOR}, 'A')
    || setweight(to_tsvector('qabot_english'::regconfig,
                 translate(left(coalesce(content_text, ''), 200000), '._/', '   ')), 'C')
"""

PG_DOWN = [
    "DROP INDEX IF EXISTS ix_documents_search",
    "ALTER TABLE documents DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE documents DROP COLUMN IF EXISTS name_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS qabot_english",
]


def _pg_unaccent_available(conn: Connection) -> bool:
    """Create the unaccent extension if the server has it and we may (trusted since PG 13)."""
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        return True
    except DBAPIError as e:
        log.warning("unaccent extension unavailable (%s): search will not fold accents", e.orig)
        return False


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for ddl in SQLITE_UP:
            conn.exec_driver_sql(ddl)
        return
    conn.exec_driver_sql("CREATE TEXT SEARCH CONFIGURATION qabot_english (COPY = pg_catalog.english)")
    if _pg_unaccent_available(conn):
        conn.exec_driver_sql(
            "ALTER TEXT SEARCH CONFIGURATION qabot_english "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )
    # A generated column: every insert, rename or new text recomputes it; stored rows too, now.
    conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({PG_VECTOR}) STORED")
    conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN name_vector tsvector GENERATED ALWAYS AS ({PG_NAME_VECTOR}) STORED")
    conn.exec_driver_sql("CREATE INDEX ix_documents_search ON documents USING gin (search_vector)")


def downgrade() -> None:
    conn = op.get_bind()
    for ddl in SQLITE_DOWN if conn.dialect.name == "sqlite" else PG_DOWN:
        conn.exec_driver_sql(ddl)
