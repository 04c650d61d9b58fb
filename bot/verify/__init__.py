"""Acceptance criteria of the campaign checked against a live environment, as verdicts."""
