"""Board reports: Word documents (python-docx) with RAG charts (matplotlib, Agg backend).
Both libraries are imported only when a report is written."""
