"""Loading validates everything and reports every problem with file, line and key path."""

import copy

import pytest

from bot.campaign.load import load_campaign
from bot.errors import ConfigError
from tests.helpers.campaign import PYROSCOPE_STEPS, campaign, item, write_campaign

ITEMS = [item("svc-profiling", "svc", ["phase-3", "profiling"]), item("gate", None, [])]


def _recipe(**change):
    base = {
        "item": "svc-profiling",
        "subject": "add profiling",
        "steps": copy.deepcopy(PYROSCOPE_STEPS),
    }
    return {"service": "svc", "changes": {"profiling": {**base, **change}}}


def _load(tmp_path, recipe=None, data=None):
    data = data or campaign({"svc": "example/svc"}, copy.deepcopy(ITEMS))
    return load_campaign(write_campaign(tmp_path, data, {"svc": recipe or _recipe()}))


def _problems(tmp_path, **kwargs):
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, **kwargs)
    return error.value.problems


def test_valid_campaign_loads_with_resolved_settings(tmp_path):
    loaded = _load(tmp_path)
    (change,) = loaded.change_sets()
    assert change.id == "svc/profiling"
    assert change.branch == "phase-3/svc-profiling"
    assert change.title == "feat: add profiling"
    assert change.item.labels == ("phase-3", "profiling")
    assert change.steps[0].params.constraint == "^1.4.0"
    assert change.steps[1].params.server_address_env == "PYROSCOPE_SERVER_ADDRESS"


def test_unknown_codemod_is_named_with_a_suggestion(tmp_path):
    recipe = _recipe()
    recipe["changes"]["profiling"]["steps"][0]["codemod"] = "python.add_dependancy"
    assert _problems(tmp_path, recipe=recipe) == [
        (
            "recipes/svc.yaml:7: changes.profiling.steps[0].codemod: "
            "unknown codemod 'python.add_dependancy' (did you mean 'python.add_dependency'?)"
        )
    ]


def test_missing_and_unexpected_and_mistyped_parameters_are_all_reported(tmp_path):
    recipe = _recipe()
    step = recipe["changes"]["profiling"]["steps"][1]["with"]
    del step["application_name"]
    step["lazy_import"] = "no"
    step["app_name"] = "svc"
    problems = _problems(tmp_path, recipe=recipe)
    assert (
        "recipes/svc.yaml:19: changes.profiling.steps[1].with.app_name: unexpected key 'app_name' (expected: function, application_name, server_address_env, version_import, version_expr, tags, lazy_import, logger, helper, call)"
        in problems
    )
    assert (
        "recipes/svc.yaml:14: changes.profiling.steps[1].with.application_name: missing required parameter"
        in problems
    )
    assert (
        "recipes/svc.yaml:18: changes.profiling.steps[1].with.lazy_import: expected true or false, got str 'no'"
        in problems
    )
    assert len(problems) == 3


def test_unquoted_number_for_a_string_parameter_says_quote_it(tmp_path):
    recipe = _recipe()
    recipe["changes"]["profiling"]["steps"][0]["with"]["constraint"] = 1.4
    assert _problems(tmp_path, recipe=recipe) == [
        "recipes/svc.yaml:11: changes.profiling.steps[0].with.constraint: expected a string, got float 1.4 (quote it)"
    ]


def test_change_set_without_tracking_item(tmp_path):
    recipe = _recipe()
    del recipe["changes"]["profiling"]["item"]
    assert _problems(tmp_path, recipe=recipe) == [
        "recipes/svc.yaml:3: changes.profiling: missing key 'item' (the tracking item this change set serves)"
    ]


def test_unknown_item_item_of_another_service_and_unknown_repo(tmp_path):
    problems = _problems(tmp_path, recipe=_recipe(item="gate", repo="charts"))
    assert problems == [
        "recipes/svc.yaml:4: changes.profiling.item: item 'gate' belongs to service None, not 'svc'",
        "recipes/svc.yaml:19: changes.profiling.repo: unknown repo 'charts' (known: svc)",
    ]
    assert _problems(tmp_path, recipe=_recipe(item="svc-profilin"))[0].endswith(
        "unknown tracking item 'svc-profilin' (did you mean 'svc-profiling'?)"
    )


def test_steps_xor_skip_and_subject_required(tmp_path):
    assert _problems(tmp_path, recipe=_recipe(skip="no web root")) == [
        "recipes/svc.yaml:3: changes.profiling: needs either steps or a skip reason (not both)"
    ]
    recipe = _recipe()
    del recipe["changes"]["profiling"]["subject"]
    assert _problems(tmp_path, recipe=recipe)[0].endswith(
        "changes.profiling.subject: missing: the PR title and commit subject"
    )


def test_step_path_must_suit_the_codemod(tmp_path):
    recipe = _recipe()
    recipe["changes"]["profiling"]["steps"][0]["path"] = "setup.cfg"
    assert _problems(tmp_path, recipe=recipe) == [
        (
            "recipes/svc.yaml:8: changes.profiling.steps[0].path: python.add_dependency is for "
            "pyproject.toml, **/pyproject.toml, not 'setup.cfg'"
        )
    ]


def test_unknown_settings_reference(tmp_path):
    recipe = _recipe()
    recipe["changes"]["profiling"]["steps"][0]["with"]["constraint"] = "^${packages.pyroscope}"
    assert _problems(tmp_path, recipe=recipe) == [
        "recipes/svc.yaml:11: changes.profiling.steps[0].with.constraint: ${packages.pyroscope} is not a value in recipes.yaml settings"
    ]


def test_campaign_file_problems_are_all_listed(tmp_path):
    data = campaign({"svc": "example/svc"}, copy.deepcopy(ITEMS))
    data["repos"]["svc"]["repo"] = "not-a-full-name"
    data["repos"]["svc"]["draft"] = "yes"
    data["items"].append(copy.deepcopy(ITEMS[0]))
    data["items"][1]["service"] = "nope"
    problems = _problems(tmp_path, data=data)
    assert "recipes.yaml:17: repos.svc.draft: expected true or false, got str 'yes'" in problems
    assert "recipes.yaml:35: items[1].service: unknown service 'nope' (known: svc)" in problems
    assert "recipes.yaml:45: items[2].id: duplicate item id 'svc-profiling'" in problems
    assert len(problems) == 3  # the invalid repo is not reported again where services refer to it


def test_repo_name_must_be_owner_slash_name(tmp_path):
    data = campaign({"svc": "example/svc"}, copy.deepcopy(ITEMS))
    data["repos"]["svc"]["repo"] = "svc"
    assert _problems(tmp_path, data=data) == [
        "recipes.yaml:15: repos.svc.repo: expected owner/name, got 'svc'"
    ]


def test_recipe_file_and_service_must_match(tmp_path):
    data = campaign({"svc": "example/svc"}, copy.deepcopy(ITEMS))
    root = write_campaign(
        tmp_path, data, {"svc": {**_recipe(), "service": "other"}, "stray": _recipe()}
    )
    with pytest.raises(ConfigError) as error:
        load_campaign(root)
    assert error.value.problems == [
        "recipes/svc.yaml:1: service: is 'other', but the file is for service 'svc'",
        "recipes/stray.yaml: unknown service 'stray' (known: svc) in recipes.yaml",
    ]


def test_missing_recipe_file_and_broken_yaml(tmp_path):
    data = campaign({"svc": "example/svc", "two": "example/two"}, copy.deepcopy(ITEMS))
    root = write_campaign(tmp_path, data, {"svc": _recipe()})
    with pytest.raises(ConfigError) as error:
        load_campaign(root)
    assert error.value.problems == ["recipes.yaml: services.two: no recipes/two.yaml"]
    (root / "recipes" / "svc.yaml").write_text("service: svc\nchanges: [\n")
    (root / "recipes" / "two.yaml").write_text("service: two\nchanges: {}\n")
    with pytest.raises(ConfigError) as error:
        load_campaign(root)
    assert error.value.problems == [
        "recipes/svc.yaml:3: not valid YAML: expected the node content, but found '<stream end>'"
    ]


def test_one_item_served_twice(tmp_path):
    recipe = _recipe()
    recipe["changes"]["profiling-again"] = copy.deepcopy(recipe["changes"]["profiling"])
    assert _problems(tmp_path, recipe=recipe) == [
        "recipes/svc.yaml:20: changes.profiling-again.item: item 'svc-profiling' is already served by change 'profiling'"
    ]


def test_every_item_of_a_service_needs_a_change_set(tmp_path):
    data = campaign({"svc": "example/svc"}, copy.deepcopy(ITEMS) + [item("svc-rum", "svc")])
    assert _problems(tmp_path, data=data) == [
        "recipes/svc.yaml: changes: no change set for tracking item 'svc-rum'"
    ]


def test_two_change_sets_may_not_share_a_branch(tmp_path):
    # service a-b with change c, and service a with change b-c: both phase-3/a-b-c in one repo
    data = campaign(
        {"a-b": "example/svc", "a": "example/svc"}, [item("one", "a-b"), item("two", "a")]
    )
    first = {
        "service": "a-b",
        "changes": {"c": {"item": "one", "subject": "x", "steps": copy.deepcopy(PYROSCOPE_STEPS)}},
    }
    second = {
        "service": "a",
        "changes": {
            "b-c": {"item": "two", "subject": "x", "steps": copy.deepcopy(PYROSCOPE_STEPS)}
        },
    }
    with pytest.raises(ConfigError) as error:
        load_campaign(write_campaign(tmp_path, data, {"a-b": first, "a": second}))
    assert error.value.problems == [
        "recipes/a.yaml: changes.b-c: branch phase-3/a-b-c in example/svc is also the branch of a-b/c"
    ]


def test_a_step_without_a_mapping_is_reported_under_with(tmp_path):
    recipe = _recipe()
    recipe["changes"]["profiling"]["steps"][0]["with"] = ["not", "a", "mapping"]
    assert _problems(tmp_path, recipe=recipe) == [
        "recipes/svc.yaml:9: changes.profiling.steps[0].with: expected a mapping, got a list"
    ]
