"""Spreadsheet imports of e-commerce entities, their monthly figures and budget units' 832
platform purchases (``procurement.imports_832``, registered by procurement), from Excel
.xlsx or CSV.

Every row is validated before anything is written; bad rows are reported with their row
number, column and problem. A file with bad rows imports nothing unless the uploader chose
"import the valid rows". Entities are never duplicated (credit code, or platform + shop) and
an entity's month never twice. Cells that look like formulas (= + - @) are refused, so that a
sheet exported again later cannot carry one. Progress is written to the job as rows are read.
"""
