"""Node codemods: package.json and JSON config via `json`, TS/JS imports via tree-sitter."""

from codemods.node import add_dependency, add_import, insert_first_import, set_json_value

CODEMODS = {
    "add_dependency": add_dependency,
    "add_import": add_import,
    "insert_first_import": insert_first_import,
    "set_json_value": set_json_value,
}
