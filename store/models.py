"""SQLAlchemy 2 typed models. Every table the bot uses lives here; migrations mirror it.

One module on purpose (over 300 lines): the models refer to each other by relationship, and
tests/test_migrations.py compares this one metadata with the migrations on both databases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Json = JSON()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Board(Base):
    """The one board this deployment serves (id 1), with its settings from the board file."""

    __tablename__ = "board"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    # section11, agenda and sharepoint settings: validated by commands.board_file on import
    # (the board's channels are in addresses, as channel:<name>).
    config: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))  # chair | qa_officer | member | agency_lead
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", use_alter=True), nullable=True)
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The board file's `id:` for this member (0018): found by it whatever the handle becomes.
    file_key: Mapped[str | None] = mapped_column(String(64), nullable=True)

    agency: Mapped[Agency | None] = relationship(foreign_keys=[agency_id])

    __table_args__ = (Index("uq_members_file_key", "file_key", unique=True),)


class Agency(Base):
    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(20))  # statutory | non-statutory
    category: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    file_key: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the board file's `id:` (0018)

    lead: Mapped[Member | None] = relationship(foreign_keys=[lead_id])
    substitute: Mapped[Member | None] = relationship(foreign_keys=[substitute_id])

    __table_args__ = (Index("uq_agencies_file_key", "file_key", unique=True),)


class Address(Base):
    """Where a member, an agency, a meeting or a board channel is on one chat platform
    (a Slack user or channel id, an Entra object id, a Teams channel), so the core never
    needs a column per platform. See store.addresses for the subject kinds (0008)."""

    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(80))  # member | agency | meeting | channel:<name>
    subject_id: Mapped[int] = mapped_column(Integer)
    platform: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(300))

    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", "platform", name="uq_addresses_subject_platform"),
        # Reverse lookups: who sent this (platform, user id); which meeting is held in this channel.
        Index("ix_addresses_platform_address", "platform", "address"),
    )


class Meeting(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # subgroup | s11_panel | priority_panel | challenge | board
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    priority: Mapped[str | None] = mapped_column(String(32), nullable=True)
    source: Mapped[str] = mapped_column(String(32), default="file")  # file | chat | calendar
    external_id: Mapped[str | None] = mapped_column(String(300), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Cancelled (0014): no agenda from the clock; one cancellation notice instead.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    file_key: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the board file's `id:` (0018)

    __table_args__ = (
        UniqueConstraint("kind", "starts_at", name="uq_meetings_kind_starts"),
        Index("uq_meetings_file_key", "file_key", unique=True),
    )


class Action(Base):
    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # shown as A-<id>
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    priority: Mapped[str | None] = mapped_column(String(32), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | done | cancelled
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), nullable=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"), nullable=True)
    s11_return_id: Mapped[int | None] = mapped_column(ForeignKey("s11_returns.id"), nullable=True)
    source: Mapped[str] = mapped_column(String(64), default="chat")  # console | slack | teams | ...
    source_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    closing_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Kept by `qabot purge` whatever its age (0014).
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    owner: Mapped[Member | None] = relationship(foreign_keys=[owner_id])
    agency: Mapped[Agency | None] = relationship(foreign_keys=[agency_id])
    meeting: Mapped[Meeting | None] = relationship(foreign_keys=[meeting_id])

    __table_args__ = (
        Index("ix_actions_status_due", "status", "due_date"),
        Index("ix_actions_owner", "owner_id"),
        Index("ix_actions_agency", "agency_id"),
        Index("ix_actions_meeting", "meeting_id"),
        # Meetings (0003): the chair's status roll-up reads only this index, in group order;
        # agendas count open actions by meeting; recent escalations look up by date.
        Index("ix_actions_rollup", "priority", "agency_id", "status", "due_date", "closed_at"),
        Index("ix_actions_meeting_status", "meeting_id", "status", "due_date"),
        Index("ix_actions_escalated", "escalated_at"),
    )


class Finding(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # shown as F-<id>
    text: Mapped[str] = mapped_column(Text)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), nullable=True)
    priority: Mapped[str | None] = mapped_column(String(32), nullable=True)
    rag: Mapped[str | None] = mapped_column(String(8), nullable=True)  # red | amber | green
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), nullable=True)
    s11_return_id: Mapped[int | None] = mapped_column(ForeignKey("s11_returns.id"), nullable=True)
    escalate_to_board: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(64), default="chat")
    source_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    # Withdrawn (0014): kept with its history, left out of lists, status, summaries, reports.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Kept by `qabot purge` whatever its age (0014).
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    agency: Mapped[Agency | None] = relationship(foreign_keys=[agency_id])
    meeting: Mapped[Meeting | None] = relationship(foreign_keys=[meeting_id])

    __table_args__ = (
        Index("ix_findings_created", "created_at"),
        Index("ix_findings_meeting", "meeting_id"),
    )


class S11Cycle(Base):
    __tablename__ = "s11_cycles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    cohort: Mapped[str] = mapped_column(String(20))  # statutory | non-statutory
    deadline: Mapped[date] = mapped_column(Date)
    panel_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed | cancelled
    launched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    launched_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When /s11 deadline last moved the deadline (0014): earlier reminder slots are not sent late.
    replanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (UniqueConstraint("year", "cohort", name="uq_s11_cycles_year_cohort"),)


class S11Return(Base):
    __tablename__ = "s11_returns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("s11_cycles.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    # not_started | document_received | extension_requested | extension_granted | submitted
    status: Mapped[str] = mapped_column(String(24), default="not_started")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    evidence_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    extension_requested_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    extension_granted_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The date asked for and refused (0012), shown on /s11 status until another is granted.
    extension_refused_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    # When the extension was granted: reminders under the new deadline start after it (0002).
    extension_granted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    document_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_reply_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    lead_replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    cycle: Mapped[S11Cycle] = relationship()
    agency: Mapped[Agency] = relationship()

    __table_args__ = (UniqueConstraint("cycle_id", "agency_id", name="uq_s11_returns_cycle_agency"),)


class S11Rating(Base):
    __tablename__ = "s11_ratings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("s11_returns.id"))
    standard: Mapped[str] = mapped_column(String(200))
    self_rag: Mapped[str | None] = mapped_column(String(8), nullable=True)
    moderated_rag: Mapped[str | None] = mapped_column(String(8), nullable=True)

    __table_args__ = (UniqueConstraint("return_id", "standard", name="uq_s11_ratings_return_standard"),)


class S11Score(Base):
    """One sub-question (`1.1`) of an agency's return: its self-assessment and the panel's
    moderation (0027). `source` says how the self-assessment came: chat | form | workbook |
    carried; `carried` means carried from an earlier cycle (`carried_from_cycle_id`) and not yet
    confirmed (confirming sets the source to how it was confirmed and keeps the cycle)."""

    __tablename__ = "s11_scores"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("s11_returns.id"))
    sub: Mapped[str] = mapped_column(String(16))
    self_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)
    improvement: Mapped[str | None] = mapped_column(Text, nullable=True)
    agency_action: Mapped[str | None] = mapped_column(Text, nullable=True)
    action_deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    moderated_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    moderator_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    self_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    self_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="chat")
    carried_from_cycle_id: Mapped[int | None] = mapped_column(ForeignKey("s11_cycles.id"), nullable=True)

    s11_return: Mapped[S11Return] = relationship()
    carried_from: Mapped[S11Cycle | None] = relationship()

    __table_args__ = (UniqueConstraint("return_id", "sub", name="uq_s11_scores_return_sub"),)


class S11WorkbookImport(Base):
    """One version of a Section 11 workbook read from an agency's SharePoint folder (0030):
    what it gave (answers stored, or the errors that stopped it). A version is read once
    (`drive_item_id`, `version_key`); a corrected copy saved under the same name is a new one."""

    __tablename__ = "s11_workbook_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("s11_returns.id"))
    drive_item_id: Mapped[str] = mapped_column(String(200))
    version_key: Mapped[str] = mapped_column(String(100))  # the file's modified time and size
    version_no: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 … per file, as the agency sees "v3"
    file_name: Mapped[str] = mapped_column(String(300))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(16))  # stored | errors | not_ours | template
    answers: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[str]] = mapped_column(Json, default=list)

    __table_args__ = (
        UniqueConstraint("drive_item_id", "version_key", name="uq_s11_workbook_imports_item_version"),
    )


class OutboxMessage(Base):
    """A post the bot must send. Written with a unique key in the same transaction as the
    change that caused it; the dispatcher sends it and records the platform's message id."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    platform: Mapped[str] = mapped_column(String(16))  # console | slack | teams
    channel: Mapped[str] = mapped_column(String(300))  # platform address: channel, user or conversation
    # Logical thread: posts sharing a thread_key after the first go into the first one's thread.
    thread_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))  # s11_launch | s11_reminder | agenda | escalation | ...
    subject_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    subject_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)  # a neutral Reply as a dict
    # pending | sending | sent | failed (for good) | parked (outcome unknown, left to a person)
    # | unreachable (no address on any configured platform: never sent, never "chased")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Look-ups of a maybe-sent post that could not answer; bounded before it is resent or parked.
    unclear_lookups: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Resent once, visibly, after an unknown outcome: a second unknown outcome parks it.
    resent_unclear: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    told_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # QA officer told
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    message_id: Mapped[str | None] = mapped_column(String(300), nullable=True)  # Slack ts / Teams id
    sent_channel: Mapped[str | None] = mapped_column(String(300), nullable=True)
    thread_message_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # The attempts whose outcome was unknown (a timeout, a process that died while sending):
    # when, so that a reply in the thread of a copy the platform kept without telling us can
    # be matched (commands/unclear_threads.py); and that copy's root once a reply tied it.
    unclear_from: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    unclear_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    duplicate_message_id: Mapped[str | None] = mapped_column(String(300), nullable=True)

    __table_args__ = (
        Index("ix_outbox_status", "status", "next_attempt_at"),
        Index("ix_outbox_thread_key", "thread_key"),
        Index("ix_outbox_message", "platform", "message_id"),
        Index("ix_outbox_duplicate", "platform", "duplicate_message_id"),
    )


class ThreadReply(Base):
    """A message someone sent in the thread of one of the bot's posts."""

    __tablename__ = "thread_replies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    platform: Mapped[str] = mapped_column(String(16))
    platform_user: Mapped[str | None] = mapped_column(String(64), nullable=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    # submitted | extension | comment | ignored | agenda_item | ...
    interpretation: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    drive_item_id: Mapped[str] = mapped_column(String(200), unique=True)
    parent_item_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    name: Mapped[str] = mapped_column(String(400))
    path: Mapped[str] = mapped_column(String(2000), default="")
    is_folder: Mapped[bool] = mapped_column(Boolean, default=False)
    web_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    size: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    mime_type: Mapped[str | None] = mapped_column(String(200), nullable=True)
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    modified_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    content_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), nullable=True)
    s11_return_id: Mapped[int | None] = mapped_column(ForeignKey("s11_returns.id"), nullable=True)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Who may see it (0017, see commands/document_access.py): open | agency | unmapped | restricted
    access: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    access_agency_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    access_roles: Mapped[str | None] = mapped_column(String(200), nullable=True)  # ",chair,qa_officer,"
    unique_permissions: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sync_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        Index("ix_documents_parent", "parent_item_id"),
        Index("ix_documents_modified", "modified_at"),  # /docs recent, search order
        Index("ix_documents_meeting", "meeting_id"),  # a meeting's papers
        Index("ix_documents_s11_return", "s11_return_id"),
    )


class DocumentLink(Base):
    __tablename__ = "document_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    target_type: Mapped[str] = mapped_column(String(16))  # action | finding | meeting
    target_id: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("document_id", "target_type", "target_id", name="uq_document_links_target"),
    )


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    text: Mapped[str] = mapped_column(Text)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    source: Mapped[str] = mapped_column(String(64), default="chat")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_agenda_items_meeting", "meeting_id"),)


class S11ChallengeInvite(Base):
    """An agency invited to a Section 11 challenge event (0029), with its slot: one per cycle,
    day and agency, so running /s11 challenge again invites nobody twice."""

    __tablename__ = "s11_challenge_invites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("s11_cycles.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    day: Mapped[date] = mapped_column(Date)
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200))  # "3 reds, total gap 4"
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)

    agency: Mapped[Agency] = relationship()

    __table_args__ = (
        UniqueConstraint("cycle_id", "day", "agency_id", name="uq_s11_challenge_invites_cycle_day_agency"),
    )


class ConversationRef(Base):
    """Where the bot can post proactively (Teams conversation references, Slack DMs)."""

    __tablename__ = "conversation_refs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    conversation_id: Mapped[str] = mapped_column(String(300))
    service_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    tenant_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reference: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The person a 1:1 chat is with (Teams: Entra object id), so the bot can write to them again.
    user_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        UniqueConstraint("platform", "conversation_id", name="uq_conversation_refs_platform_conv"),
        Index("ix_conversation_refs_user", "platform", "user_id"),
    )


class SyncState(Base):
    """Small durable facts: delta links, 'already told the QA officer' markers, clock marks."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Append-only: who changed what, when, before and after, and from where."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    verb: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None] = mapped_column(Json, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(Json, nullable=True)
    source: Mapped[str] = mapped_column(String(300))

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


class InboxItem(Base):
    """A delivery from a platform (a Slack slash command, event or interaction, a Teams
    activity), stored before it is acknowledged and worked from here: a restart or a crash
    between the acknowledgement and the reply loses nothing (bot/intake.py finishes it).
    `key` is the platform's delivery id, so a retried delivery is not stored twice."""

    __tablename__ = "inbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))  # the integration's name for what arrived
    payload: Mapped[dict[str, Any]] = mapped_column(Json)  # as the platform sent it
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | working | done
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The process that stored it works it at once; another one takes it only when it is older.
    accepted_by: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reply: Mapped[dict[str, Any] | None] = mapped_column(Json, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_inbox_status", "status", "received_at"),)


class PersonThread(Base):
    """A thread a person started (their top-level post) in a channel the bot posts into, by
    id only, never its text: a reply under it is their conversation, not one of the bot's
    threads it lost track of (commands/unclear_threads.py)."""

    __tablename__ = "person_threads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(300))
    message_id: Mapped[str] = mapped_column(String(300))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("platform", "channel", "message_id", name="uq_person_threads_message"),
    )


class ProcessedDelivery(Base):
    """Keys of deliveries already handled (Slack event_id, Teams activity id, ...), with the
    reply given, so a retried or duplicated delivery is answered again but changes nothing."""

    __tablename__ = "processed_deliveries"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reply: Mapped[dict[str, Any] | None] = mapped_column(Json, nullable=True)


class Review(Base):
    """A rapid review after a serious child safeguarding incident (0020), known only by the
    board's case code ("RR-2027-03"), never by anything that names the child."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    priority: Mapped[str | None] = mapped_column(String(32), nullable=True)
    aware_on: Mapped[date] = mapped_column(Date)  # day 0 of the notification and summary clocks
    notified_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # day 0 of the WD15 clock
    meeting_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # lcspr | no-lcspr | national
    panel_decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    panel_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Retention (0032): kept by every purge while held; once purged, its private details are
    # gone and `purged_counts` keeps what the timeline still reports (docs/reviews.md).
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    purged_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    purged_counts: Mapped[dict[str, Any] | None] = mapped_column(Json, nullable=True)

    agencies: Mapped[list[ReviewAgency]] = relationship(back_populates="review", order_by="ReviewAgency.id")
    milestones: Mapped[list[ReviewMilestone]] = relationship(order_by="ReviewMilestone.id")


class ReviewAgency(Base):
    """One agency's summary for a rapid review (0020): requested at once, chased in its own
    thread until it is submitted."""

    __tablename__ = "review_agencies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    status: Mapped[str] = mapped_column(String(16), default="requested")  # requested | extension | submitted
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    evidence_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    extension_to: Mapped[date | None] = mapped_column(Date, nullable=True)  # asked for in the thread
    last_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    review: Mapped[Review] = relationship(back_populates="agencies")
    agency: Mapped[Agency] = relationship()

    __table_args__ = (UniqueConstraint("review_id", "agency_id", name="uq_review_agencies_review_agency"),)


class ReviewMilestone(Base):
    """One LCSPR milestone of a review the Panel answered "lcspr" (0026): planned (due) and
    done, by name ("reviewer", "terms", a board's own, "draft", "publication")."""

    __tablename__ = "review_milestones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    name: Mapped[str] = mapped_column(String(60))
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (UniqueConstraint("review_id", "name", name="uq_review_milestones_review_name"),)


class ReviewRecommendation(Base):
    """A review's recommendation, logged as an action (0026): the action is its source."""

    __tablename__ = "review_recommendations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"))
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), unique=True)

    action: Mapped[Action] = relationship()


class DigestRun(Base):
    """One week's digest to the chair (0031, docs/operations.md *The weekly digest*): when it
    was computed, how many items needed action, and whether it was sent or nothing needed
    action. The unique week keeps it to one per week whatever the ticks, restarts or outages."""

    __tablename__ = "digest_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    week: Mapped[str] = mapped_column(String(10), unique=True)  # ISO week, "2026-W50"
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the board's day and time that week
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    since: Mapped[datetime] = mapped_column(UTCDateTime)  # escalations counted from here
    items: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(16))  # sent | nothing | unsent (nobody reachable)
    sent_to: Mapped[int] = mapped_column(Integer, default=0)  # recipients with an address
    note: Mapped[str | None] = mapped_column(Text, nullable=True)  # who it could not reach, and why


class KpiFigure(Base):
    """One performance measure's figure for one period (0028, docs/kpi.md). The measure lives
    in the board file (`measures:`, by its id); `agency_id` is its owning agency, so a lead's
    reads see their agencies' figures only (store/visibility.py)."""

    __tablename__ = "kpi_figures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(48))
    period: Mapped[str] = mapped_column(String(16))  # canonical: 2026-12, 2026-27-Q3 (commands/kpi/periods)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str] = mapped_column(String(16))  # chat | workbook
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)

    narrative: Mapped[KpiNarrative | None] = relationship(back_populates="figure")

    __table_args__ = (UniqueConstraint("measure_id", "period", name="uq_kpi_figures_measure_period"),)


class KpiNarrative(Base):
    """The owning agency's lead asked "what lies behind it" about a figure (0028): the thread
    it was asked in, its chase and escalation, and the answer kept with the figure."""

    __tablename__ = "kpi_narratives"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    figure_id: Mapped[int] = mapped_column(ForeignKey("kpi_figures.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(32))  # red | amber | worse twice
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    thread_key: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # the narrative, once answered
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    chased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    figure: Mapped[KpiFigure] = relationship(back_populates="narrative")
