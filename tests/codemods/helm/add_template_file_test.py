from codemods.helm import add_template_file
from tests.helpers.codemod import assert_codemod, assert_codemod_error

CONTENT = "{{- if .Values.x.enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n"


def test_creates_the_file_and_leaves_an_identical_one():
    assert_codemod(
        add_template_file,
        {"content": CONTENT},
        path="templates/x.yaml",
        before="",
        after=CONTENT,
        dedent=False,
    )


def test_other_content_is_a_conflict():
    assert_codemod_error(
        add_template_file,
        {"content": CONTENT},
        path="templates/x.yaml",
        text="kind: Secret\n",
        match=r"already exists with other content",
    )
