"""
Moving a WordPress newsroom in: `manage.py import_wordpress EXPORT.xml`.

- `wxr`: the export read as a stream of typed records, refusing hostile or malformed XML;
- `content`: post content (classic or block editor, with shortcodes) as a story body;
- `media`: attachments found in the copied uploads folder, brought into the image library;
- `importer`: the two readings (a survey, then the import in one transaction);
- `authors`: the --author-map file;
- `summary`: what was created, updated, left unchanged and skipped, and why.
"""
