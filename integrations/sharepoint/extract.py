"""Text out of Word, PDF and Excel files, for search. Bounded, and never fatal: a file that
cannot be read is stored without text and the sync carries on."""

from __future__ import annotations

import io
import logging

log = logging.getLogger("qabot.sharepoint")

MAX_BYTES = 20 * 1024 * 1024  # files above this are listed but not downloaded
MAX_CHARS = 400_000
EXTENSIONS = (".docx", ".pdf", ".xlsx")


def extractable(name: str, size: int | None) -> bool:
    return name.lower().endswith(EXTENSIONS) and (size or 0) <= MAX_BYTES


def _docx(data: bytes) -> str:
    import docx

    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs if p.text]
    for table in d.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells if c.text))
    return "\n".join(parts)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    out: list[str] = []
    total = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        out.append(text)
        total += len(text)
        if total > MAX_CHARS:
            break
    return "\n".join(out)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out: list[str] = []
    total = 0
    try:
        for ws in wb.worksheets:
            out.append(f"[{ws.title}]")
            for row in ws.iter_rows(values_only=True):
                cells = [str(v) for v in row if v is not None and str(v).strip()]
                if cells:
                    line = " | ".join(cells)
                    out.append(line)
                    total += len(line)
                if total > MAX_CHARS:
                    return "\n".join(out)
    finally:
        wb.close()
    return "\n".join(out)


def extract_text(name: str, data: bytes) -> str:
    """The file's text ("" when it has none). A damaged or password-protected file raises: the
    sync lists it without text, says so, and tries it again next time."""
    lower = name.lower()
    if lower.endswith(".docx"):
        text = _docx(data)
    elif lower.endswith(".pdf"):
        text = _pdf(data)
    elif lower.endswith(".xlsx"):
        text = _xlsx(data)
    else:
        return ""
    return " ".join(text.replace("\x00", "").split(" "))[:MAX_CHARS]
