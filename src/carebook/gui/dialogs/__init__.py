"""Dialogs that stand apart from the pages: the first-run welcome."""
