"""Web codemods: new files from templates, anchored inserts in TS/Vue, snippets in HTML/Jinja pages."""

from codemods.web import create_from_template, insert_at_anchor, insert_head_snippet

CODEMODS = {
    "create_from_template": create_from_template,
    "insert_at_anchor": insert_at_anchor,
    "insert_head_snippet": insert_head_snippet,
}
