"""Reading a saved .docx back as a reader (and Word) would: python-docx for the text, the XML
for what python-docx has no API for. Shared by the tests of every document the bot writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_docx(path: Path | str) -> Any:
    return docx.Document(str(path))


def body_text(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def header_text(document: Any) -> str:
    return "\n".join(p.text for s in document.sections for p in s.header.paragraphs)


def footer_text(document: Any) -> str:
    return "\n".join(p.text for s in document.sections for p in s.footer.paragraphs)


def field_codes(element: Any) -> list[str]:
    """The instructions of every complex field under `element` (" PAGE " → "PAGE")."""
    return [" ".join((t.text or "").split()) for t in element.iter(qn("w:instrText"))]


def page_size_twips(document: Any) -> tuple[int, int]:
    size = document.sections[0]._sectPr.find(qn("w:pgSz"))
    return int(size.get(qn("w:w"))), int(size.get(qn("w:h")))


def table_rows_flags(table: Any) -> list[tuple[bool, bool]]:
    """(repeated header?, kept whole?) per row."""
    out = []
    for tr in table._tbl.tr_lst:
        tr_pr = tr.trPr
        header = tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        whole = tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None
        out.append((header, whole))
    return out


def column_widths(table: Any) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def cell_widths(table: Any) -> list[list[int]]:
    return [[int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def picture_alt_texts(document: Any) -> list[tuple[str, str]]:
    """(descr, title) of every picture's wp:docPr."""
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    return [(d.get("descr") or "", d.get("title") or "") for d in document.element.body.iter(wp)]


def update_fields_set(document: Any) -> bool:
    flag = document.settings.element.find(qn("w:updateFields"))
    return flag is not None and flag.get(qn("w:val")) in ("true", "1", "on")
