"""Every module that registers commands, thread-reply handlers or clock producers.

Imported by name, on purpose: a module that is missing or renamed fails here, at start-up,
instead of silently taking its commands, reminders or thread replies with it. A new module
is added to MODULES (tests/test_registry.py checks the list against the files on disk).
Within a group, help lists the commands in the order their modules are imported here.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

import commands.actions.add
import commands.actions.browse
import commands.actions.change
import commands.actions.lifecycle
import commands.actions.reassign
import commands.delivery_notices
import commands.digest.clock
import commands.digest.command
import commands.docs
import commands.docs_map
import commands.document_access
import commands.document_guard
import commands.document_permissions
import commands.documents
import commands.finding_changes
import commands.findings
import commands.groups
import commands.kpi.clock
import commands.kpi.figures
import commands.kpi.replies
import commands.kpi.scorecard
import commands.late_replies
import commands.meetings.changes
import commands.meetings.clock
import commands.meetings.replies
import commands.papers.commands
import commands.private_replies
import commands.qa
import commands.qa_outcomes
import commands.redaction
import commands.reviews.clock
import commands.reviews.commands
import commands.reviews.corrections
import commands.reviews.hold
import commands.reviews.lcspr
import commands.reviews.outcomes
import commands.reviews.recommend
import commands.reviews.replies
import commands.reviews.views
import commands.section11.carried
import commands.section11.challenge
import commands.section11.clock
import commands.section11.cohort
import commands.section11.commands
import commands.section11.corrections
import commands.section11.extensions
import commands.section11.form
import commands.section11.letters
import commands.section11.moderation
import commands.section11.moderation_replies
import commands.section11.ratings
import commands.section11.replies
import commands.section11.reply_corrections
import commands.section11.scores
import commands.section11.workbook
import commands.unclear_threads
from commands.registry import REGISTRY, Registry

MODULES: tuple[ModuleType, ...] = (
    commands.groups,
    # commands, group by group
    commands.actions.add,
    commands.actions.browse,
    commands.actions.change,
    commands.actions.lifecycle,
    commands.actions.reassign,
    commands.findings,
    commands.finding_changes,
    commands.qa,
    commands.qa_outcomes,
    commands.digest.command,
    commands.papers.commands,
    commands.meetings.changes,
    commands.redaction,
    commands.section11.commands,
    commands.section11.extensions,
    commands.section11.ratings,
    commands.section11.scores,
    commands.section11.carried,
    commands.section11.form,
    commands.section11.letters,
    commands.section11.corrections,
    commands.section11.cohort,
    commands.section11.reply_corrections,
    commands.section11.workbook,
    commands.section11.moderation,
    commands.section11.challenge,
    commands.docs,
    commands.document_access,
    commands.docs_map,
    commands.reviews.commands,
    commands.reviews.corrections,
    commands.reviews.hold,
    commands.reviews.lcspr,
    commands.reviews.outcomes,
    commands.reviews.recommend,
    commands.reviews.views,
    commands.kpi.figures,
    commands.kpi.scorecard,
    # replies in the threads of the bot's posts (and posts declared to have none)
    commands.section11.replies,
    commands.section11.moderation_replies,
    commands.meetings.replies,
    commands.documents,
    commands.late_replies,
    commands.document_guard,
    commands.document_permissions,
    commands.private_replies,
    commands.unclear_threads,
    commands.reviews.replies,
    commands.kpi.replies,
    # clock producers
    commands.section11.clock,
    commands.meetings.clock,
    commands.reviews.clock,
    commands.digest.clock,
    commands.kpi.clock,
    commands.delivery_notices,
)


@cache
def load() -> Registry:
    """The registry with every module above registered, checked once."""
    REGISTRY.check()
    return REGISTRY
