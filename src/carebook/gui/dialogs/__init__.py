"""Dialogs opened from the pages: forms for one user action each, the child's file, the welcome."""
