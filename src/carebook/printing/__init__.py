"""A4 PDFs with reportlab: visit sheets, case files, rosters."""
