"""Importing patients and appointments exported by a practice-management system."""

from assistant.importing.csv_import import ImportFailed, ImportReport, RowError, import_csv

__all__ = ["ImportFailed", "ImportReport", "RowError", "import_csv"]
