"""Catalog exchange: read the messy catalogs local governments publish, write the template.

Pipeline: safety checks → readers (file → SourceTable) → parsing (SourceTable →
RowData + Problems) → the import service (RowData → items, as new versions) —
and writers (items → xlsx/docx/csv/json in the standard template).
"""
