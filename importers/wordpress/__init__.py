"""
Moving a WordPress newsroom in: `manage.py import_wordpress EXPORT.xml`.

- `wxr`: the export read as a stream of typed records, refusing hostile or malformed XML;
- `content`: post content (classic or block editor, with shortcodes) as a story body;
- `survey`: the first reading, which checks the file and keeps what is small;
- `importer`: the orchestration: the survey, then the stages in one transaction;
- the stages, each usable alone on a `common.Context`: `taxonomy` (sections, tags,
  authors), `posts` (planning and writing stories), `comments`, `redirects` (old
  addresses), `media` (attachments into the image library);
- `common`: the context every stage shares, and small helpers;
- `authors`: the --author-map file;
- `summary`: what was created, updated, left unchanged and skipped, and why.
"""
