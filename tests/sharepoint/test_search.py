"""Full-text document search on SQLite (FTS5) and PostgreSQL (tsvector): stems, accents, whole
words, names above text, newest on a tie, folders not matching, hostile input, the index kept
in step by the sync's writes, and the visibility filter applied exactly as before."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Engine, column, insert, table, text
from sqlalchemy.orm import Session, sessionmaker

from store import documents as doc_store
from store import search
from store.db import alembic_config, make_engine, migrate, transaction
from store.document_access import EVERYTHING, DocumentViewer, lead_of, visible_to
from store.documents import ItemRecord
from store.models import Agency, S11Cycle, S11Return
from store.search_sql import fts5_query, terms_of

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
ROOT = "root-id"


def rec(
    item_id: str,
    name: str,
    body: str | None = None,
    *,
    parent: str = ROOT,
    days_ago: int = 0,
    folder: bool = False,
) -> ItemRecord:
    return ItemRecord(
        item_id=item_id,
        parent_id=parent,
        name=name,
        is_folder=folder,
        modified_at=NOW - timedelta(days=days_ago),
        content_text=body,
    )


def store(sessions: sessionmaker[Session], *records: ItemRecord) -> None:
    with transaction(sessions) as s:
        doc_store.apply_items(s, list(records), ROOT, NOW)


def _viewer(agency_id: int | None) -> DocumentViewer | None:
    """Everything (as the board's officers and the sync read), or an agency lead's of one agency."""
    return EVERYTHING if agency_id is None else lead_of(agency_id)


def names(sessions: sessionmaker[Session], *words: str, scope: int | None = None) -> list[str]:
    with sessions() as s:
        return [d.name for d in doc_store.search(s, list(words), viewer=_viewer(scope))[0]]


def test_stems_accents_and_case_fold(sessions: sessionmaker[Session]) -> None:
    store(
        sessions,
        rec("a", "Case file audit.docx", "The audit of chronologies"),
        rec("b", "Visit notes.docx", "Visite à l'école primaire, Zoë's café"),
        rec("c", "Unrelated.docx", "Nothing here"),
    )
    assert names(sessions, "audits") == ["Case file audit.docx"]
    assert names(sessions, "AUDITING") == ["Case file audit.docx"]
    assert names(sessions, "chronology") == ["Case file audit.docx"]
    assert names(sessions, "ÉCOLE") == ["Visit notes.docx"]
    assert names(sessions, "ecole") == ["Visit notes.docx"]
    assert names(sessions, "zoe", "CAFÉ") == ["Visit notes.docx"]


def test_short_tokens_match_whole_words_only(sessions: sessionmaker[Session]) -> None:
    store(
        sessions,
        rec("a", "DA strategy.docx", "Domestic abuse"),
        rec("b", "Data daily.docx", "update on data and a daily dashboard"),
        rec("c", "LAC review.pdf", "looked after children"),
        rec("d", "Black lack.pdf", "a lack of placements, Blackpool"),
    )
    assert names(sessions, "DA") == ["DA strategy.docx"]
    assert names(sessions, "lac") == ["LAC review.pdf"]


def test_name_ranks_above_text_then_newest_first(sessions: sessionmaker[Session]) -> None:
    store(
        sessions,
        rec("body", "Minutes March.docx", "neglect neglect neglect, the neglect toolkit", days_ago=1),
        rec("name", "Neglect strategy.docx", "a strategy for the partnership", days_ago=300),
        rec("old", "Return one.docx", "kestrel", days_ago=30),
        rec("new", "Return two.docx", "kestrel", days_ago=2),
        rec("undated", "Return six.docx", "kestrel"),
    )
    assert names(sessions, "neglect") == ["Neglect strategy.docx", "Minutes March.docx"]
    with transaction(sessions) as s:  # an unknown modified time sorts after every known one
        undated = doc_store.by_item_ids(s, ["undated"])["undated"]
        undated.modified_at = None
    assert names(sessions, "kestrel") == ["Return two.docx", "Return one.docx", "Return six.docx"]


def test_folder_words_do_not_match_the_files_beneath(sessions: sessionmaker[Session]) -> None:
    store(
        sessions,
        rec("f", "Neglect", folder=True),
        rec("g", "Sub", parent="f", folder=True),
        rec("x", "Plan.docx", "a plan for early help", parent="g"),
    )
    with sessions() as s:
        assert doc_store.by_item_ids(s, ["x"])["x"].path == "Neglect/Sub/Plan.docx"
    assert names(sessions, "neglect") == []
    assert names(sessions, "plan") == ["Plan.docx"]


def test_words_are_all_required_and_quoted_words_are_phrases(sessions: sessionmaker[Session]) -> None:
    store(
        sessions,
        rec("a", "One.docx", "the neglect audit was late"),
        rec("b", "Two.docx", "an audit of neglect cases"),
    )
    assert sorted(names(sessions, "neglect", "audit")) == ["One.docx", "Two.docx"]
    assert names(sessions, "neglect audit") == ["One.docx"]  # a quoted phrase, as typed
    assert names(sessions, "neglect", "kestrel") == []


# fmt: off
HOSTILE = [
    '"', '""', '"neglect', "*", "neglect*", "NEAR", "NEAR(neglect audit)", "-", "-neglect", "OR", "AND",
    "NOT", "neglect OR audit", "^neglect", "name:neglect", "content_text:x", "(", ")", "{", "}", "+", ":",
    "'", "''", "'; DROP TABLE documents; --", "\\", "%", "_", "&", "|", "!", "<->", "a & !b", "@@", "::",
    "\x00", "   ", "é́", "🙂", "x" * 100,
]
# fmt: on


def test_hostile_query_strings_never_break_the_query(sessions: sessionmaker[Session]) -> None:
    store(sessions, rec("a", "Neglect near school.docx", "the audit, or not"))
    rnd = random.Random(13)
    alphabet = "\"*-^:()+{}[]'\\%_&|!<>@~ NEARORANDNOT neglect"
    fuzz = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 12))) for _ in range(150)]
    with sessions() as s:
        for q in HOSTILE + fuzz:
            doc_store.search(s, [q])
            doc_store.search(s, q.split() or [q])
        # Operators typed are words to find, not operators.
        assert [d.name for d in doc_store.search(s, ["NEAR"])[0]] == ["Neglect near school.docx"]
        assert [d.name for d in doc_store.search(s, ["-neglect"])[0]] == ["Neglect near school.docx"]
        assert doc_store.search(s, ["neglect*"])[1] == 1
    assert fts5_query(terms_of(['NEAR("x"', "a*"])) == '"near x" AND "a"'


def test_rename_text_change_delete_and_return_keep_the_index_in_step(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    store(sessions, rec("a", "Kestrel plan.docx", "osprey"))
    store(sessions, rec("a", "Merlin plan.docx", "osprey"))  # renamed
    assert names(sessions, "kestrel") == []
    assert names(sessions, "merlin") == ["Merlin plan.docx"]
    store(sessions, rec("a", "Merlin plan.docx", "harrier"))  # new text
    assert names(sessions, "osprey") == [] and names(sessions, "harrier") == ["Merlin plan.docx"]
    store(sessions, rec("a", "Merlin plan.docx"))  # text not read this time: kept as it was
    assert names(sessions, "harrier") == ["Merlin plan.docx"]
    store(sessions, ItemRecord(item_id="a", parent_id=ROOT, name="", deleted=True))
    assert names(sessions, "merlin") == []
    store(sessions, rec("a", "Merlin plan.docx", "falcon"))  # restored from the recycle bin
    assert names(sessions, "falcon") == ["Merlin plan.docx"]
    with transaction(sessions) as s:
        s.execute(text("DELETE FROM documents"))
    assert names(sessions, "falcon") == []
    _assert_index_consistent(engine)


def _assert_index_consistent(engine: Engine) -> None:
    with engine.begin() as c:
        if engine.dialect.name == "sqlite":  # compares the index with the documents table
            c.exec_driver_sql("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")


def test_visibility_is_the_same_filter_as_before(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as s:
        police, health = Agency(name="Police", sector="statutory"), Agency(name="Health", sector="statutory")
        cycle = S11Cycle(year=2027, cohort="statutory", deadline=date(2027, 3, 31), launched_at=NOW)
        s.add_all([police, health, cycle])
        s.flush()
        ret_police = S11Return(cycle_id=cycle.id, agency_id=police.id)
        ret_health = S11Return(cycle_id=cycle.id, agency_id=health.id)
        s.add_all([ret_police, ret_health])
        s.flush()
        ids = (police.id, health.id, ret_police.id, ret_health.id)
    store(
        sessions,
        rec("p", "Police return.docx", "osprey evidence"),
        rec("h", "Health return.docx", "osprey evidence"),
        rec("o", "Board minutes.docx", "osprey mentioned"),
    )
    police_id, health_id, ret_p, ret_h = ids
    with transaction(sessions) as s:
        docs = doc_store.by_item_ids(s, ["p", "h"])
        docs["p"].s11_return_id, docs["h"].s11_return_id = ret_p, ret_h
    assert sorted(names(sessions, "osprey")) == [
        "Board minutes.docx",
        "Health return.docx",
        "Police return.docx",
    ]
    assert sorted(names(sessions, "osprey", scope=police_id)) == ["Board minutes.docx", "Police return.docx"]
    assert sorted(names(sessions, "osprey", scope=health_id)) == ["Board minutes.docx", "Health return.docx"]
    assert names(sessions, "police", scope=health_id) == []
    with sessions() as s:  # the total counts only what this member may see
        assert doc_store.search(s, ["evidence"], viewer=_viewer(police_id))[1] == 1
        assert doc_store.search(s, ["evidence"])[1] == 2


def test_limit_and_total(sessions: sessionmaker[Session]) -> None:
    store(sessions, *[rec(f"d{i}", f"Return {i}.docx", "kestrel", days_ago=i) for i in range(15)])
    with sessions() as s:
        rows, total = doc_store.search(s, ["kestrel"], limit=10)
    assert total == 15 and [d.name for d in rows] == [f"Return {i}.docx" for i in range(10)]


def test_migration_indexes_documents_already_stored(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0007")
        with engine.begin() as conn:
            # The table as 0007 left it (the model now has later columns, with defaults).
            old = table(
                "documents",
                *(
                    column(c)
                    for c in ("drive_item_id", "name", "path", "content_text", "is_folder", "deleted")
                ),
            )
            conn.execute(
                insert(old),
                [
                    {
                        "drive_item_id": "old",
                        "name": "Kestrel audit.docx",
                        "path": "Kestrel audit.docx",
                        "content_text": "chronologies",
                        "is_folder": False,
                        "deleted": False,
                    }
                ],
            )
        migrate(engine)
        with Session(engine) as s:
            assert [d.name for d in doc_store.search(s, ["audits"])[0]] == ["Kestrel audit.docx"]
            assert doc_store.search(s, ["chronology"])[1] == 1
        _assert_index_consistent(engine)
    finally:
        engine.dispose()


def test_a_long_text_of_unique_codes_still_stores(sessions: sessionmaker[Session], engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the 1 MB tsvector limit is PostgreSQL's")
    rnd = random.Random(1)
    codes = " ".join(f"{rnd.randrange(36**3):03x}{i}" for i in range(80_000))[: doc_store.MAX_TEXT]
    store(sessions, rec("big", "Register.xlsx", codes + " kestrel"))
    assert names(sessions, "register") == ["Register.xlsx"]


@pytest.mark.parametrize("walk_from", [1, 1000], ids=["newest-first-index", "sorted"])
def test_beyond_the_rank_limit_names_holding_the_words_come_first_then_the_newest(
    sessions: sessionmaker[Session], walk_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "WALK_FROM", walk_from)  # both ways of reading the newest
    store(
        sessions,
        rec("body-new", "Minutes.docx", "neglect neglect neglect", days_ago=1),
        rec("name-old", "Neglect plan.docx", "a plan", days_ago=100),
        rec("both", "Neglect audit.docx", "audit of neglect", days_ago=200),
        rec("name-new", "Neglect toolkit.docx", "toolkit", days_ago=50),
        rec("body-old", "Notes.docx", "neglect and audit", days_ago=10),
    )
    with sessions() as s:
        rows, total = search.find(s, ["neglect"], restrict=lambda stmt: stmt, rank_limit=2)
        assert total == 5
        assert [d.name for d in rows] == [
            "Neglect toolkit.docx",
            "Neglect plan.docx",
            "Neglect audit.docx",
            "Minutes.docx",
            "Notes.docx",
        ]
        rows, _ = search.find(s, ["neglect", "audit"], restrict=lambda stmt: stmt, rank_limit=1)
        assert [d.name for d in rows] == ["Neglect audit.docx", "Notes.docx"]
        rows, _ = search.find(s, ["neglect"], restrict=lambda stmt: stmt, rank_limit=2, limit=2)
        assert [d.name for d in rows] == ["Neglect toolkit.docx", "Neglect plan.docx"]
        rows, _ = search.find(s, ["neglect"], restrict=lambda stmt: stmt, rank_limit=2, limit=4)
        assert [d.name for d in rows][3:] == ["Minutes.docx"]  # the text-only tier, newest first


def test_the_count_stops_past_the_cap(sessions: sessionmaker[Session]) -> None:
    store(sessions, *[rec(f"d{i}", f"Return {i}.docx", "kestrel", days_ago=i) for i in range(6)])
    with sessions() as s:
        rows, total = search.find(s, ["kestrel"], restrict=lambda stmt: stmt, count_cap=3)
        assert total == 4 and [d.name for d in rows][:2] == ["Return 0.docx", "Return 1.docx"]
        hidden = lead_of(1)  # the cap counts only what the viewer may see
        assert doc_store.search(s, ["kestrel"], viewer=hidden)[1] == 6


def test_beyond_the_rank_limit_the_viewer_sees_only_what_they_may(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(sessions) as s:
        police = Agency(name="Police", sector="statutory")
        cycle = S11Cycle(year=2027, cohort="statutory", deadline=date(2027, 3, 31), launched_at=NOW)
        s.add_all([police, cycle])
        s.flush()
        ret = S11Return(cycle_id=cycle.id, agency_id=police.id)
        s.add(ret)
        s.flush()
        ret_id = ret.id
    store(
        sessions,
        rec("hidden-new", "Osprey evidence.docx", "osprey", days_ago=1),
        rec("open-old", "Osprey minutes.docx", "osprey", days_ago=5),
        rec("text", "Notes.docx", "osprey", days_ago=2),
    )
    with transaction(sessions) as s:
        doc_store.by_item_ids(s, ["hidden-new"])["hidden-new"].s11_return_id = ret_id
    for walk_from in (1, 1000):
        monkeypatch.setattr(search, "WALK_FROM", walk_from)
        with sessions() as s:
            rows, total = search.find(
                s,
                ["osprey"],
                restrict=lambda stmt: stmt.where(visible_to(DocumentViewer("member"))),
                rank_limit=1,
            )
        assert total == 2 and [d.name for d in rows] == ["Osprey minutes.docx", "Notes.docx"]


def test_searches_of_the_same_shape_each_find_their_own_words(sessions: sessionmaker[Session]) -> None:
    # One statement serves every search of a shape (the words are its parameters): the second
    # search must not see the first one's words, nor one viewer's filter another's.
    with transaction(sessions) as s:
        police, health = Agency(name="Police", sector="statutory"), Agency(name="Health", sector="statutory")
        cycle = S11Cycle(year=2027, cohort="statutory", deadline=date(2027, 3, 31), launched_at=NOW)
        s.add_all([police, health, cycle])
        s.flush()
        ret = S11Return(cycle_id=cycle.id, agency_id=police.id)
        s.add(ret)
        s.flush()
        police_id, health_id, ret_id = police.id, health.id, ret.id
    store(
        sessions,
        rec("a", "Osprey minutes.docx", "osprey and heron"),
        rec("b", "Heron notes.docx", "heron only"),
        rec("c", "Plan t_2.docx", "kestrel"),
        rec("d", "Plan t_3.docx", "kestrel osprey"),
        rec("e", "Police osprey evidence.docx", "osprey"),
    )
    with transaction(sessions) as s:
        doc_store.by_item_ids(s, ["e"])["e"].s11_return_id = ret_id
    for _ in range(2):  # the second round reads every statement from the cache
        assert sorted(names(sessions, "osprey")) == [
            "Osprey minutes.docx",
            "Plan t_3.docx",
            "Police osprey evidence.docx",
        ]
        assert sorted(names(sessions, "heron")) == ["Heron notes.docx", "Osprey minutes.docx"]
        assert names(sessions, "kestrel", "t_2") == ["Plan t_2.docx"]
        assert names(sessions, "kestrel", "t_3") == ["Plan t_3.docx"]
        assert "Police osprey evidence.docx" in names(sessions, "osprey", scope=police_id)
        assert "Police osprey evidence.docx" not in names(sessions, "osprey", scope=health_id)


def test_docs_search_command_answers_hostile_input_politely(say) -> None:  # type: ignore[no-untyped-def]
    for typed in ['"', "*", "NEAR", "-", "OR", '" OR NEAR(* -', "a* -b ^c", "name:x", "'; --", "\\"]:
        reply = say("qa", f"/docs search {typed}")
        assert reply.ok, (typed, reply.text())
        assert reply.title is not None and reply.title.startswith("No documents match"), (typed, reply.title)
