"""Services: one function per user action, one transaction each, returning plain data."""
