"""The PySide6 desktop application: thin views over the services."""
