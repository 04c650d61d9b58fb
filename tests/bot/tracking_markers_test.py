"""bot.tracking.markers: the bot's region of an issue body, a person's text around it, ticks and hidden data."""

from __future__ import annotations

from bot.tracking.markers import (
    Marker,
    find_region,
    keys,
    meta_digest,
    read_hidden,
    ticked,
    with_region,
)

MARKER = Marker("phase-3-bot", "item", "acapy-profiling")


def region(text: str, title: str = "Title", labels: tuple[str, ...] = ("phase-3",)) -> str:
    return f"{MARKER.begin(title, labels)}\n{text}\n{MARKER.end}"


def test_a_new_region_goes_below_a_persons_text_and_replaces_only_itself_later() -> None:
    body = with_region("Notes from the team.\r\nKeep this.", MARKER, region("first"))
    assert body == f"Notes from the team.\nKeep this.\n\n{region('first')}\n"

    person = body + "\nA comment a person added below.\n"
    updated = with_region(person, MARKER, region("second"))

    assert updated == person.replace(region("first"), region("second"))
    assert find_region(updated, MARKER).text == region("second")


def test_an_issue_without_text_gets_only_the_region() -> None:
    assert with_region("", MARKER, region("x")) == region("x") + "\n"


def test_crlf_bodies_from_githubs_editor_are_read_as_lf() -> None:
    body = ("Top\n" + region("- [x] done\n- [ ] open") + "\nBottom\n").replace("\n", "\r\n")
    found = find_region(body, MARKER)
    assert found is not None and found.before == "Top\n" and found.after == "\nBottom\n"
    assert ticked(found.text) == {"done"}


def test_a_cut_end_marker_makes_the_region_run_to_the_end() -> None:
    body = f"Top\n{MARKER.begin('T', ())}\nbot text"
    found = find_region(body, MARKER)
    assert found is not None and found.before == "Top\n" and found.after == ""
    assert with_region(body, MARKER, region("new")) == "Top\n" + region("new")


def test_meta_changes_with_title_or_labels_only() -> None:
    assert meta_digest("T", ("a", "b")) == meta_digest("T", ("a", "b"))
    assert len({meta_digest("T", ("a",)), meta_digest("U", ("a",)), meta_digest("T", ("b",))}) == 3
    assert find_region(region("x", "T", ("a",)), MARKER).meta == meta_digest("T", ("a",))


def test_keys_name_every_region_of_a_kind() -> None:
    other = Marker("phase-3-bot", "dashboard", "phase-3")
    body = region("x") + "\n" + f"{other.begin('D', ())}\ny\n{other.end}"
    assert keys(body, "phase-3-bot", "item") == ["acapy-profiling"]
    assert keys(body, "phase-3-bot", "dashboard") == ["phase-3"]
    assert keys(body, "phase-4-bot", "item") == []


def test_ticks_are_read_whoever_ticked_them() -> None:
    text = "- [x] one\n- [X] two \n- [ ] three\n  - [x] nested is not a criterion\n"
    assert ticked(text) == {"one", "two"}


def test_hidden_json_cannot_close_its_comment() -> None:
    data = {"criterion --> with <!-- tricky --- text": {"verdict": "failed"}}
    line = MARKER.hidden("results", data)
    assert line.count("-->") == 1 and line.endswith(" -->") and "<!--" not in line[4:]
    assert read_hidden(f"x\n{line}\ny", MARKER, "results") == data
    assert read_hidden("<!-- phase-3-bot:results {broken -->", MARKER, "results") is None
    assert read_hidden("nothing here", MARKER, "results") is None
