"""The board's standards and scale (commands/section11/standards.py) in the workbook's plain
shapes (commands/section11/workbook_data.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from commands.section11.workbook_data import ScalePoint, Standard, SubQuestion

if TYPE_CHECKING:
    from commands.section11.standards import Scale
    from commands.section11.standards import Standard as BoardStandard


def scale_points(scale: Scale) -> tuple[ScalePoint, ...]:
    """The scale as picked in a score cell, worst first: the value people type ("2", "amber")."""
    return tuple(ScalePoint(sv.label, sv.name, sv.descriptor) for sv in scale.values)


def scale_title(scale: Scale) -> str:
    """ "0–3", "4–1", or "red, amber, green": how errors and the About sheet name it."""
    labels = [sv.label for sv in scale.values]
    if all(label.isdigit() for label in labels):
        return f"{labels[0]}–{labels[-1]}"
    return ", ".join(labels)


def sheets_of(standards: list[BoardStandard]) -> tuple[Standard, ...]:
    return tuple(
        Standard(std.id, std.name, tuple(SubQuestion(sub.label, sub.text) for sub in std.subs))
        for std in standards
    )
