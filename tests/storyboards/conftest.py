"""Fixtures for storyboards: the change ideas a storyboard may name come from improvement's."""

from ..improvement.conftest import idea, other_idea  # noqa: F401 - fixtures

__all__ = ["idea", "other_idea"]
