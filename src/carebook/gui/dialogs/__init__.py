"""Dialogs that stand apart from the pages: the child's file, the first-run welcome and others."""
