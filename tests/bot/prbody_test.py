from bot.forge import prbody

GENERATED = prbody.with_marker(
    "acapy/profiling", "## Title\n\n- [ ] data in Pyroscope\n- [ ] no regression\n"
)


def test_marker_carries_a_digest_of_the_generated_text():
    assert GENERATED.splitlines()[0].startswith("<!-- phase-3-bot:acapy/profiling body:")
    assert (
        prbody.with_marker("acapy/profiling", "other\n").splitlines()[0]
        != GENERATED.splitlines()[0]
    )


def test_unchanged_generation_keeps_what_people_wrote():
    edited = (
        GENERATED.replace("- [ ] no regression", "- [x] no regression") + "\nReviewer: looks good\n"
    )
    assert prbody.for_update(edited, GENERATED) == edited


def test_new_generation_replaces_the_text_but_keeps_ticked_boxes():
    edited = GENERATED.replace("- [ ] data in Pyroscope", "- [x] data in Pyroscope")
    regenerated = prbody.with_marker(
        "acapy/profiling", "## New title\n\n- [ ] data in Pyroscope\n- [ ] no regression\n"
    )
    updated = prbody.for_update(edited, regenerated)
    assert updated == regenerated.replace("- [ ] data in Pyroscope", "- [x] data in Pyroscope")


def test_a_body_without_marker_is_replaced():
    assert prbody.for_update("hand-written", GENERATED) == GENERATED
