"""Performance measures read from workbooks in the library (docs/kpi.md): when the sync stores
an item a measure names as its `source: {workbook, sheet, cell}`, that workbook is downloaded
and the measure's cells read with openpyxl; what they held goes back to the core through the
DocumentLibrary port (commands/kpi/workbook.py decides what it means). A workbook that cannot
be downloaded or opened is each of its cells' problem, told to the QA officer; only the
service's own trouble (throttling, an outage) stops the page, so the sync resumes later."""

from __future__ import annotations

import asyncio
import io
import logging

from commands.kpi.workbook import CellReading, CellRef
from commands.ports import DocumentLibrary
from integrations.sharepoint.client import GraphConnection
from integrations.sharepoint.reading import SERVICE_TROUBLE, _status

log = logging.getLogger("qabot.sharepoint")


def read_cells(data: bytes, cells: tuple[CellRef, ...]) -> dict[CellRef, CellReading]:
    """Each (sheet, cell)'s value as the workbook last calculated it (a percentage-formatted
    number as people read it: 0.68 shown as 68% is 68)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # damaged, encrypted or not a workbook: every cell's problem
        return {
            c: CellReading(problem=f"the workbook could not be opened ({type(e).__name__})") for c in cells
        }
    out: dict[CellRef, CellReading] = {}
    try:
        for sheet, ref in cells:
            if sheet not in wb.sheetnames:
                names = ", ".join(wb.sheetnames[:8])
                out[(sheet, ref)] = CellReading(
                    problem=f"the workbook has no sheet “{sheet}” (it has {names})"
                )
                continue
            cell = wb[sheet][ref]
            value = cell.value
            if (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and "%" in str(cell.number_format)
            ):
                value = round(float(value) * 100, 6)
            out[(sheet, ref)] = CellReading(value=value)
    finally:
        wb.close()
    return out


async def read_measure_workbooks(
    library: DocumentLibrary, conn: GraphConnection, drive_id: str, item_ids: list[str]
) -> int:
    """Read the measures' workbooks among these just-stored items; returns the posts queued."""
    posts = 0
    for ask in library.workbooks_to_read(item_ids):
        try:
            data = (
                await conn.client.drives.by_drive_id(drive_id)
                .items.by_drive_item_id(ask.item_id)
                .content.get()
            ) or b""
        except Exception as e:
            if _status(e) in SERVICE_TROUBLE:
                raise
            log.warning(
                "sharepoint: measure workbook %s could not be downloaded (%s)", ask.item_id, _status(e)
            )
            readings = {c: CellReading(problem="the workbook could not be downloaded") for c in ask.cells}
        else:
            readings = await asyncio.to_thread(read_cells, data, ask.cells)
        posts += library.store_workbook_cells(ask, readings)
    return posts
