"""store.documents on SQLite and PostgreSQL: path rebuilding from parent ids, search, lease."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from store import documents as doc_store
from store.db import transaction
from store.documents import ItemRecord

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
ROOT = "root-id"


def rec(item_id: str, parent: str, name: str, folder: bool = False, **kw: object) -> ItemRecord:
    return ItemRecord(item_id=item_id, parent_id=parent, name=name, is_folder=folder, modified_at=NOW, **kw)  # type: ignore[arg-type]


def paths(sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions() as s:
        found = doc_store.by_item_ids(s, ["a", "b", "c", "d", "e"])
        return {k: ("(deleted) " if v.deleted else "") + v.path for k, v in found.items()}


def test_paths_children_before_parents_rename_move_delete(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as s:
        # A child arrives before its folder (possible across delta pages): fixed when it lands.
        doc_store.apply_items(s, [rec("c", "b", "c.docx", content_text="Kestrel chronology")], ROOT, NOW)
    with transaction(sessions) as s:
        doc_store.apply_items(
            s, [rec("a", ROOT, "A", True), rec("b", "a", "B", True), rec("d", ROOT, "D", True)], ROOT, NOW
        )
    assert paths(sessions) == {"a": "A", "b": "A/B", "c": "A/B/c.docx", "d": "D"}

    with transaction(sessions) as s:
        changes = doc_store.apply_items(s, [rec("a", ROOT, "Renamed", True)], ROOT, NOW)
        assert {c.doc.drive_item_id: c.old_path for c in changes} == {"a": "A", "b": "A/B", "c": "A/B/c.docx"}
    assert paths(sessions)["c"] == "Renamed/B/c.docx"

    with transaction(sessions) as s:  # move B under D
        doc_store.apply_items(s, [rec("b", "d", "B", True)], ROOT, NOW)
    assert paths(sessions) == {"a": "Renamed", "b": "D/B", "c": "D/B/c.docx", "d": "D"}

    with transaction(sessions) as s:  # delete D: everything below goes too
        doc_store.apply_items(s, [ItemRecord(item_id="d", parent_id=ROOT, name="", deleted=True)], ROOT, NOW)
    assert paths(sessions) == {
        "a": "Renamed",
        "b": "(deleted) D/B",
        "c": "(deleted) D/B/c.docx",
        "d": "(deleted) D",
    }


def test_search_every_word_any_case_and_like_characters_are_literal(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as s:
        doc_store.apply_items(
            s,
            [
                rec("a", ROOT, "Audit_2027.docx", content_text="Kestrel chronology review"),
                rec("b", ROOT, "Audit 100% done.pdf", content_text="kestrel only"),
                rec("c", ROOT, "Folder", True, content_text=None),
            ],
            ROOT,
            NOW,
        )
    with sessions() as s:
        assert [d.name for d in doc_store.search(s, ["KESTREL", "chronology"])[0]] == ["Audit_2027.docx"]
        assert doc_store.search(s, ["kestrel"])[1] == 2
        assert [d.name for d in doc_store.search(s, ["100%"])[0]] == ["Audit 100% done.pdf"]
        assert [d.name for d in doc_store.search(s, ["t_2"])[0]] == ["Audit_2027.docx"]
        assert doc_store.search(s, ["%"])[1] == 1  # only the name with a literal %
        assert doc_store.search(s, ["folder"])[1] == 0  # folders are not results


def test_lease_is_exclusive_until_it_expires(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as s:
        assert doc_store.take_lease(s, "sharepoint:lock", NOW, timedelta(minutes=30))
    with transaction(sessions) as s:
        assert not doc_store.take_lease(
            s, "sharepoint:lock", NOW + timedelta(minutes=5), timedelta(minutes=30)
        )
    with transaction(sessions) as s:
        assert doc_store.take_lease(s, "sharepoint:lock", NOW + timedelta(minutes=31), timedelta(minutes=30))
        doc_store.release_lease(s, "sharepoint:lock", NOW + timedelta(minutes=32))
    with transaction(sessions) as s:
        assert doc_store.take_lease(s, "sharepoint:lock", NOW + timedelta(minutes=33), timedelta(minutes=30))
