"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from alembic import op
import sqlalchemy as sa

import store.types


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "board",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board")),
    )
    op.create_table(
        "conversation_refs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("conversation_id", sa.String(length=300), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("updated_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_refs")),
        sa.UniqueConstraint("platform", "conversation_id", name="uq_conversation_refs_platform_conv"),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("priority", sa.String(length=32), nullable=True),
        sa.Column("slack_channel", sa.String(length=64), nullable=True),
        sa.Column("teams_channel", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=True),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("external_id", name=op.f("uq_meetings_external_id")),
        sa.UniqueConstraint("kind", "starts_at", name="uq_meetings_kind_starts"),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("slack_id", sa.String(length=32), nullable=True),
        sa.Column("teams_id", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("handle", name=op.f("uq_members_handle")),
        sa.UniqueConstraint("slack_id", name=op.f("uq_members_slack_id")),
        sa.UniqueConstraint("teams_id", name=op.f("uq_members_teams_id")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=300), nullable=False),
        sa.Column("thread_key", sa.String(length=300), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=300), nullable=True),
        sa.Column("sent_channel", sa.String(length=300), nullable=True),
        sa.Column("thread_message_id", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_message", ["platform", "message_id"], unique=False)
        batch_op.create_index("ix_outbox_status", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_outbox_thread_key", ["thread_key"], unique=False)

    op.create_table(
        "processed_deliveries",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("received_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reply", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processed_deliveries")),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("updated_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("substitute_id", sa.Integer(), nullable=True),
        sa.Column("slack_channel", sa.String(length=64), nullable=True),
        sa.Column("teams_channel", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["members.id"], name=op.f("fk_agencies_lead_id_members")),
        sa.ForeignKeyConstraint(
            ["substitute_id"], ["members.id"], name=op.f("fk_agencies_substitute_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("name", name=op.f("uq_agencies_name")),
    )
    # members <-> agencies refer to each other: add this one once both tables exist.
    with op.batch_alter_table("members") as batch:
        batch.create_foreign_key(op.f("fk_members_agency_id_agencies"), "agencies", ["agency_id"], ["id"])
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["members.id"], name=op.f("fk_agenda_items_added_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_agenda_items_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("verb", sa.String(length=32), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["members.id"], name=op.f("fk_audit_log_actor_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "s11_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("cohort", sa.String(length=20), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("panel_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("launched_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("launched_by_id", sa.Integer(), nullable=True),
        sa.Column("escalated_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["launched_by_id"], ["members.id"], name=op.f("fk_s11_cycles_launched_by_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_s11_cycles")),
        sa.UniqueConstraint("year", "cohort", name="uq_s11_cycles_year_cohort"),
    )
    op.create_table(
        "thread_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("platform_user", sa.String(length=64), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("interpretation", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=True),
        sa.Column("received_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_thread_replies_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_thread_replies_outbox_id_outbox")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_replies")),
    )
    op.create_table(
        "s11_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("submitted_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("evidence_url", sa.String(length=500), nullable=True),
        sa.Column("extension_requested_to", sa.Date(), nullable=True),
        sa.Column("extension_granted_to", sa.Date(), nullable=True),
        sa.Column("document_received_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_reply_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_reply_text", sa.Text(), nullable=True),
        sa.Column("lead_replied_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_s11_returns_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["s11_cycles.id"], name=op.f("fk_s11_returns_cycle_id_s11_cycles")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["members.id"], name=op.f("fk_s11_returns_submitted_by_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_s11_returns")),
        sa.UniqueConstraint("cycle_id", "agency_id", name="uq_s11_returns_cycle_agency"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drive_item_id", sa.String(length=200), nullable=False),
        sa.Column("parent_item_id", sa.String(length=200), nullable=True),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("path", sa.String(length=2000), nullable=False),
        sa.Column("is_folder", sa.Boolean(), nullable=False),
        sa.Column("web_url", sa.String(length=2000), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("mime_type", sa.String(length=200), nullable=True),
        sa.Column("modified_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("modified_by", sa.String(length=200), nullable=True),
        sa.Column("content_text", sa.Text(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("s11_return_id", sa.Integer(), nullable=True),
        sa.Column("synced_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_documents_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["s11_return_id"], ["s11_returns.id"], name=op.f("fk_documents_s11_return_id_s11_returns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("drive_item_id", name=op.f("uq_documents_drive_item_id")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index("ix_documents_parent", ["parent_item_id"], unique=False)

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("priority", sa.String(length=32), nullable=True),
        sa.Column("rag", sa.String(length=8), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("s11_return_id", sa.Integer(), nullable=True),
        sa.Column("escalate_to_board", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_findings_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["members.id"], name=op.f("fk_findings_created_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_findings_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["s11_return_id"], ["s11_returns.id"], name=op.f("fk_findings_s11_return_id_s11_returns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index("ix_findings_created", ["created_at"], unique=False)
        batch_op.create_index("ix_findings_meeting", ["meeting_id"], unique=False)

    op.create_table(
        "s11_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("standard", sa.String(length=200), nullable=False),
        sa.Column("self_rag", sa.String(length=8), nullable=True),
        sa.Column("moderated_rag", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["return_id"], ["s11_returns.id"], name=op.f("fk_s11_ratings_return_id_s11_returns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_s11_ratings")),
        sa.UniqueConstraint("return_id", "standard", name="uq_s11_ratings_return_standard"),
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("priority", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("s11_return_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("escalated_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_actions_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["members.id"], name=op.f("fk_actions_closed_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["members.id"], name=op.f("fk_actions_created_by_id_members")
        ),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"], name=op.f("fk_actions_finding_id_findings")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_actions_meeting_id_meetings")),
        sa.ForeignKeyConstraint(["owner_id"], ["members.id"], name=op.f("fk_actions_owner_id_members")),
        sa.ForeignKeyConstraint(
            ["s11_return_id"], ["s11_returns.id"], name=op.f("fk_actions_s11_return_id_s11_returns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index("ix_actions_agency", ["agency_id"], unique=False)
        batch_op.create_index("ix_actions_meeting", ["meeting_id"], unique=False)
        batch_op.create_index("ix_actions_owner", ["owner_id"], unique=False)
        batch_op.create_index("ix_actions_status_due", ["status", "due_date"], unique=False)

    op.create_table(
        "document_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_document_links_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_links")),
        sa.UniqueConstraint("document_id", "target_type", "target_id", name="uq_document_links_target"),
    )


def downgrade() -> None:
    op.drop_table("document_links")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_status_due")
        batch_op.drop_index("ix_actions_owner")
        batch_op.drop_index("ix_actions_meeting")
        batch_op.drop_index("ix_actions_agency")

    op.drop_table("actions")
    op.drop_table("s11_ratings")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index("ix_findings_meeting")
        batch_op.drop_index("ix_findings_created")

    op.drop_table("findings")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_parent")

    op.drop_table("documents")
    op.drop_table("s11_returns")
    op.drop_table("thread_replies")
    op.drop_table("s11_cycles")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entity")

    op.drop_table("audit_log")
    op.drop_table("agenda_items")
    with op.batch_alter_table("members") as batch:
        batch.drop_constraint(op.f("fk_members_agency_id_agencies"), type_="foreignkey")
    op.drop_table("agencies")
    op.drop_table("sync_state")
    op.drop_table("processed_deliveries")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_thread_key")
        batch_op.drop_index("ix_outbox_status")
        batch_op.drop_index("ix_outbox_message")

    op.drop_table("outbox")
    op.drop_table("members")
    op.drop_table("meetings")
    op.drop_table("conversation_refs")
    op.drop_table("board")
