"""Whether a file is an .xlsx at all, said in words before openpyxl sees it: an old .xls, a
password-protected workbook (both OLE files), a zip that is a Word document, or anything else."""

from __future__ import annotations

import io
import zipfile

MAX_BYTES = 20 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and every password-protected .xlsx
FRESH = "Download a fresh one with /s11 template <agency>."


def not_a_workbook(data: bytes) -> str | None:
    if len(data) > MAX_BYTES:
        return (
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; a Section 11 workbook is far smaller."
        )
    if data.startswith(OLE_MAGIC):
        return (
            "The file is an Excel 97-2003 workbook (.xls) or is protected with a password: "
            "open it in Excel, remove any password (File > Info > Protect Workbook) and save it as .xlsx."
        )
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        return "The file is not an Excel workbook (.xlsx). " + FRESH
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return "The file is damaged (not a readable .xlsx). " + FRESH
    if "xl/workbook.xml" not in names:
        return "The file is a zip but not an Excel workbook (a Word document?). " + FRESH
    return None
