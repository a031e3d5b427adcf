"""Dialogs opened from the pages: forms for one user action each."""
