"""Helm codemods (values files via ruamel.yaml, templates as anchored text), keyed by name."""

from codemods.helm import (
    add_configmap_data,
    add_template_env,
    add_template_file,
    fix_nindent,
    replace_line,
    set_value,
)

CODEMODS = {
    "add_configmap_data": add_configmap_data,
    "add_template_env": add_template_env,
    "add_template_file": add_template_file,
    "fix_nindent": fix_nindent,
    "replace_line": replace_line,
    "set_value": set_value,
}
