"""Dialogs: the child's file and its small helpers."""
