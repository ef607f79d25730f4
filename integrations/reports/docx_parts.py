"""The WordprocessingML pieces python-docx has no API for: fields (PAGE, NUMPAGES, TOC, SEQ),
table row properties (repeat header, do not split), fixed column widths, `updateFields`, a
picture's text alternative. Used only by `document.py`.

Elements are inserted in the order the schema (ECMA-376) gives, since Word refuses a file
whose elements are out of order.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# settings.xml children that come after w:updateFields in CT_Settings' sequence.
_AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
}  # fmt: skip


def _el(tag: str, **attrs: str) -> Any:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


def add_field(paragraph: Any, instruction: str, shown: str) -> None:
    """A complex field (`{ PAGE }`) in `paragraph`, showing `shown` until Word updates it."""
    for part in (
        _el("w:fldChar", **{"w:fldCharType": "begin"}),
        "instr",
        _el("w:fldChar", **{"w:fldCharType": "separate"}),
        "shown",
        _el("w:fldChar", **{"w:fldCharType": "end"}),
    ):
        run = paragraph.add_run()
        if part == "instr":
            text = _el("w:instrText")
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = f" {instruction} "
            run._r.append(text)
        elif part == "shown":
            run.text = shown
        else:
            run._r.append(part)


def update_fields_on_open(settings_element: Any) -> None:
    """`<w:updateFields w:val="true"/>`: Word fills the table of contents and page counts when
    the document is opened (it asks the reader first)."""
    if settings_element.find(qn("w:updateFields")) is not None:
        return
    flag = _el("w:updateFields", **{"w:val": "true"})
    for child in settings_element:
        if isinstance(child.tag, str) and child.tag.split("}")[-1] in _AFTER_UPDATE_FIELDS:
            child.addprevious(flag)
            return
    settings_element.append(flag)


def keep_row_whole(row: Any, *, header: bool) -> None:
    """`w:cantSplit` on a row (never split across pages) and `w:tblHeader` on the header row
    (repeated at the top of each page). cantSplit precedes tblHeader in CT_TrPr."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("w:cantSplit"))
    if header:
        tr_pr.append(_el("w:tblHeader"))


def fix_widths(table: Any, widths: list[int]) -> None:
    """Columns of exactly `widths` twips: the grid (LibreOffice reads it), each cell's tcW (Word
    reads it) and a fixed layout so Word does not re-balance them into equal columns."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_w = _el("w:tblW", **{"w:w": str(sum(widths)), "w:type": "dxa"})
    layout = _el("w:tblLayout", **{"w:type": "fixed"})
    # CT_TblPr: tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize,
    # tblStyleColBandSize, tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, ...
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        style.addnext(tbl_w)
    else:
        tbl_pr.insert(0, tbl_w)
    for old in tbl_pr.findall(qn("w:tblLayout")):
        tbl_pr.remove(old)
    later = [c for c in tbl_pr if c.tag in {qn("w:tblCellMar"), qn("w:tblLook"), qn("w:tblCaption")}]
    if later:
        later[0].addprevious(layout)
    else:
        tbl_pr.append(layout)
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            tc_pr = cell._tc.get_or_add_tcPr()
            for old in tc_pr.findall(qn("w:tcW")):
                tc_pr.remove(old)
            tc_pr.insert(0, _el("w:tcW", **{"w:w": str(width), "w:type": "dxa"}))


def table_caption(table: Any, caption: str) -> None:
    """The table's accessible name (w:tblCaption, read by screen readers); last in CT_TblPr."""
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(_el("w:tblCaption", **{"w:val": caption[:255]}))


def describe_picture(inline_shape: Any, alt_text: str, title: str) -> None:
    """The text alternative of a picture: `descr` (and `title`) on wp:docPr, which Word shows
    as Alt Text and screen readers read, and on the picture's own pic:cNvPr."""
    inline = inline_shape._inline
    inline.docPr.set("descr", alt_text)
    inline.docPr.set("title", title)
    for c_nv_pr in inline.iter("{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"):
        c_nv_pr.set("descr", alt_text)


def language(style: Any, tag: str) -> None:
    """The text's language on a style (screen readers choose their voice by it)."""
    r_pr = style.element.get_or_add_rPr()
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    r_pr.append(_el("w:lang", **{"w:val": tag}))
