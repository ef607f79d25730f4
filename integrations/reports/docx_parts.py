"""The WordprocessingML pieces python-docx has no API for: fields (PAGE, NUMPAGES, TOC, SEQ),
table row properties (repeat header, do not split), fixed column widths, `updateFields`, a
picture's text alternative. Used only by `document.py`.

Elements are inserted in the order the schema (ECMA-376) gives, since Word refuses a file
whose elements are out of order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement, parse_xml
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


# Characters XML 1.0 cannot hold (control characters other than tab and newline).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _runs(text: str, bold: bool) -> str:
    props = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
    lines = _NOT_XML.sub("", text).split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r>{props}{body}</w:r>"


def table_element(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    style_id: str,
    caption: str | None,
) -> Any:
    """A whole table as one piece of XML (python-docx's cell API costs ~10 ms a row; this is a
    few ms for a thousand): the style, a fixed layout at `widths` twips (the grid for
    LibreOffice, each cell's tcW for Word, so Word does not re-balance the columns), the header
    row bold and repeated on each page (w:tblHeader), no row split across pages (w:cantSplit),
    9 pt text, and the caption as the table's accessible name (w:tblCaption)."""
    cells_w = [f'<w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>' for w in widths]

    def row(texts: Sequence[str], head: bool) -> str:
        props = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if head else "<w:trPr><w:cantSplit/></w:trPr>"
        cells = "".join(
            f"<w:tc>{tc}<w:p>{_runs(t, head)}</w:p></w:tc>" for tc, t in zip(cells_w, texts, strict=True)
        )
        return f"<w:tr>{props}{cells}</w:tr>"

    name = (
        f'<w:tblCaption w:val="{escape(_NOT_XML.sub("", caption[:255]), {chr(34): "&quot;"})}"/>'
        if caption
        else ""
    )
    xml = (
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="{escape(style_id)}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="1"/>{name}</w:tblPr>'
        f"<w:tblGrid>{''.join(f'<w:gridCol w:w="{w}"/>' for w in widths)}</w:tblGrid>"
        + row(header, True)
        + "".join(row(r, False) for r in rows)
        + "</w:tbl>"
    )
    return parse_xml(xml)


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
