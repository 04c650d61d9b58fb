"""GitOps codemods: Argo CD Applications, Kubernetes objects and Helm values in YAML, keyed by name.

The planners (`plan_*` modules) read a whole repository (a read-only mapping of paths to text) and
return the codemod steps for one change; they are registered in codemods.PLANNERS.
"""

from codemods.gitops import add_documents, add_list_item, merge_values, plan_pyroscope

CODEMODS = {
    "add_documents": add_documents,
    "add_list_item": add_list_item,
    "merge_values": merge_values,
}

PLANNERS = {"plan_pyroscope": plan_pyroscope}
