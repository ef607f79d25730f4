"""The board file's Section 11 standards, sub-questions, scale and panel, and their typed view
(commands.section11.standards)."""

from __future__ import annotations

import pytest

from commands.board_file import parse_board_file
from commands.board_schema import Section11Settings
from commands.errors import ConfigError
from commands.section11.standards import NotOnScale, UnknownSub, all_subs, find_sub, scale_of, standards_of

HEAD = """board: {name: Test Board}
members:
  - {handle: qa, name: QA Officer, role: qa_officer}
  - {id: m-bm, handle: bm, name: Board Member, role: member}
"""


def board(section11: str) -> Section11Settings:
    return parse_board_file(HEAD + section11, name="b.yaml").section11


def test_default_is_the_eight_key_features_with_sub_questions() -> None:
    standards = standards_of(Section11Settings())
    assert [s.id for s in standards] == [str(n) for n in range(1, 9)]
    assert standards[0].title == "1. Senior management commitment to safeguarding"
    assert standards[7].name == "Information sharing"
    assert all(2 <= len(s.subs) <= 4 for s in standards)
    assert [sub.label for sub in standards[4].subs] == ["5.1", "5.2", "5.3", "5.4"]
    assert Section11Settings().standard_titles()[5] == "6. Safer recruitment and allegations management"


def test_old_list_of_strings_still_reads_each_with_one_implicit_sub() -> None:
    cfg = board('section11:\n  standards: ["1. Leadership", "2. Training", "Listening to children"]\n')
    standards = standards_of(cfg)
    assert [(s.id, s.name, s.implicit) for s in standards] == [
        ("1", "Leadership", True),
        ("2", "Training", True),
        ("3", "Listening to children", True),
    ]
    assert cfg.standard_titles() == ["1. Leadership", "2. Training", "Listening to children"]
    std, sub = find_sub(standards, "2.1")
    assert (std.name, sub.label, sub.text) == ("Training", "2.1", "Training")
    assert find_sub(standards, "3")[1].label == "3.1"


def test_own_standards_with_sub_questions_and_mixed_with_strings() -> None:
    cfg = board(
        "section11:\n  standards:\n"
        "    - {id: '1', name: Leadership, subs: [{id: '1.1', text: A named lead}, {id: '1.2', text: Reports}]}\n"
        "    - 2. Training\n"
    )
    assert [sub.label for sub in all_subs(standards_of(cfg))] == ["1.1", "1.2", "2.1"]
    assert find_sub(standards_of(cfg), "1.2")[1].text == "Reports"


def test_a_typo_in_a_label_lists_the_valid_ones() -> None:
    cfg = board('section11:\n  standards: ["1. Leadership", "2. Training"]\n')
    with pytest.raises(UnknownSub) as e:
        find_sub(standards_of(cfg), "1.3")
    assert str(e.value) == "There is no sub-question 1.3. The sub-questions are 1.1, 2.1."
    with pytest.raises(UnknownSub, match=r'"training" is not a sub-question label such as 1\.1'):
        find_sub(standards_of(cfg), "training")


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        (
            "section11:\n  standards: [{id: '1', name: A, subs: [{id: '2.1', text: x}]}]\n",
            "must be numbered 1.<n>",
        ),
        ("section11:\n  standards: ['1. A', {id: '1', name: B}]\n", "two standards are numbered 1"),
        ("section11:\n  standards: []\n", "at least one standard"),
        ("section11:\n  scale: {kind: stars}\n", "points"),
        (
            "section11:\n  scale: {kind: rag, descriptors: {'2': Fine}}\n",
            '"2" is not a value of the rag scale',
        ),
        ("section11:\n  panel: [nobody]\n", "panel names nobody"),
    ],
)
def test_wrong_section11_blocks_are_refused_in_words(yaml: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_board_file(HEAD + yaml, name="b.yaml")
    assert message in str(e.value)


def test_panel_members_by_id_or_handle() -> None:
    assert board("section11:\n  panel: [m-bm, qa]\n").panel == ["m-bm", "qa"]


def test_the_guard_reads_sub_question_texts() -> None:
    with pytest.raises(ConfigError) as e:
        board(
            "section11:\n  standards:\n"
            "    - {id: '1', name: Leadership, subs: [{id: '1.1', text: 'As with Jayden Smith (DOB 03/04/2015)'}]}\n"
        )
    assert "section11 sub-question looks like it could identify a child" in str(e.value)


def test_points_scale_default() -> None:
    scale = scale_of(Section11Settings())
    assert [v.value for v in scale.values] == [0, 1, 2, 3]
    assert scale.parse("2") == 2 and scale.parse("Partially met") == 1
    assert scale.describe(3).startswith("3 Exceeded/embedded — ")
    assert [scale.rag_of(v) for v in range(4)] == ["red", "amber", "green", "green"]
    assert scale.gap(3, 1) == 2 and scale.gap(1, 2) == -1
    with pytest.raises(NotOnScale) as e:
        scale.parse("5")
    assert str(e.value) == (
        '"5" is not a score on the board\'s scale: use 0 Not met, 1 Partially met, 2 Met or 3 Exceeded/embedded.'
    )


def test_rag_scale() -> None:
    scale = scale_of(board("section11:\n  scale: {kind: rag, descriptors: {Amber: Some way to go.}}\n"))
    assert scale.parse("A") == scale.parse("amber") == 2
    assert scale.rag_of(scale.parse("red")) == "red"
    assert scale.describe(2) == "Amber — Some way to go."
    assert scale.label_of(3) == "green"
    assert scale.gap(scale.parse("green"), scale.parse("red")) == 2


def test_ofsted_scale_lower_is_better() -> None:
    scale = scale_of(board("section11:\n  scale: {kind: ofsted}\n"))
    assert [v.name for v in scale.values] == ["Inadequate", "Requires improvement", "Good", "Outstanding"]
    assert scale.parse("requires improvement") == 3
    assert scale.rag_of(4) == "red" and scale.rag_of(1) == "green"
    assert scale.gap(1, 3) == 2  # rated itself Outstanding, the panel said Requires improvement
    assert scale.gap(4, 2) == -2
