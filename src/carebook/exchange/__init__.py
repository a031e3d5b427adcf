"""Spreadsheets in and out: readers, header detection, ledger import, county workbook."""
