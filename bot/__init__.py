"""The Phase 3 rollout bot: turns recipes into reviewed, labelled pull requests."""
