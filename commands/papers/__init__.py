"""Board-ready documents compiled from the record: the inspection-readiness pack
(`/qa pack inspection`) and the annual report draft (`/qa annual-report`). The content is
built here as neutral data (model.py); the Word file is written by the writer the wiring
hands the core (`Services.paper_writer`: integrations/reports, python-docx)."""
