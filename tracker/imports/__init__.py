"""Spreadsheets in: organizations with their contacts, and complaints, from CSV or Excel.

- ``files``: the upload read into a header and rows of text (CSV in UTF-8 or GB18030,
  ``.xlsx`` through openpyxl).
- ``fields``: what each kind of import can fill, the columns guessed from English or
  Chinese headers, and how a cell becomes a value (a person, a team, a date, a label).
- ``rows``: one row applied through the services, found again by its natural key
  (organization name and kind, contact e-mail, a complaint's external number).
- ``runner``: the upload, the dry run, the import as a job with its progress, and undo.

See docs/imports.md.
"""
