"""Python codemods (pyproject.toml via tomlkit, sources via LibCST)."""

from codemods.python import add_dependency, add_startup_call, insert_statements

CODEMODS = {
    "add_dependency": add_dependency,
    "add_startup_call": add_startup_call,
    "insert_statements": insert_statements,
}
