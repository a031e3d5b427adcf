"""Dialogs that stand apart from the pages: the first-run welcome, print preview, paper entry."""
