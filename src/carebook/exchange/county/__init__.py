"""The county exchange workbook (format 1): its columns, writing it, and reading it back."""
