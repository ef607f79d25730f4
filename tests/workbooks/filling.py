"""A Section 11 workbook filled in as a person would in Excel, for the tests that post or save
one (Slack, Teams, SharePoint): every question scored, with a link, then any wrong cells."""

from __future__ import annotations

import io

from openpyxl import load_workbook

EVIDENCE = "https://contoso.sharepoint.com/sites/SSCB/policy.docx"


def filled(
    data: bytes, score: object = 2, wrong: dict[tuple[str, str], object] | None = None, only: str = ""
) -> bytes:
    """`data` (a /s11 template) with every question on the standards' sheets whose title starts
    with `only` scored `score` with a link; then each (sheet title prefix, cell) in `wrong` typed."""
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        if ws["A1"].value != "qabot:s11:standard" or not ws.title.startswith(only):
            continue
        for r in range(4, ws.max_row + 1):
            if ws[f"A{r}"].value:
                ws[f"D{r}"] = score
                ws[f"E{r}"] = EVIDENCE
    for (sheet, ref), value in (wrong or {}).items():
        wb[next(n for n in wb.sheetnames if n.startswith(sheet))][ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
