"""search at 100,000 documents: the indexes a search reads instead of the documents' rows.

SQLite: 0009's `ix_documents_search_visible` held every column the visibility filter reads, so
a search never touched a matching document's row (whose ~4 KB of text spills onto overflow
pages). 0017 added `access`, `access_agency_id` and `access_roles` at the end of the row, after
the text, and the filter read every match's overflow pages again: it is made again with them.
Both databases: `ix_documents_search_newest`, the documents newest first, so a common word's
page (names holding it, newest first) is read in order and stops after ten, not sorted from
tens of thousands of matches (SQLite: covering the visibility columns too); PostgreSQL: a GIN
index over the names alone (`name_vector`), to count name matches and find a rare name's few.
Like 0009's, these are outside the models (store/search.py names them).

Revision ID: 0021
Revises: 0017
"""

from alembic import op

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = None

VISIBLE = "ix_documents_search_visible"
NEWEST = "ix_documents_search_newest"
PG_NAMES = "ix_documents_name_search"
ACCESS = "deleted, is_folder, access, access_agency_id, access_roles, s11_return_id"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {VISIBLE}")
        conn.exec_driver_sql(f"CREATE INDEX {VISIBLE} ON documents (id, {ACCESS}, modified_at)")
        conn.exec_driver_sql(f"CREATE INDEX {NEWEST} ON documents (modified_at, id, {ACCESS})")
        conn.exec_driver_sql("ANALYZE documents")
        return
    conn.exec_driver_sql(f"CREATE INDEX {NEWEST} ON documents (modified_at DESC NULLS LAST, id DESC)")
    conn.exec_driver_sql(f"CREATE INDEX {PG_NAMES} ON documents USING gin (name_vector)")


def downgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql(f"DROP INDEX IF EXISTS {NEWEST}")
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {VISIBLE}")
        conn.exec_driver_sql(
            f"CREATE INDEX {VISIBLE} ON documents (id, deleted, is_folder, s11_return_id, modified_at)"
        )
        return
    conn.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_NAMES}")
