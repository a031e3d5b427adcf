"""Dialogs opened from the pages: the child's file, care forms, the welcome, print preview."""
