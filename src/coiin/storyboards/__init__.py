"""Storyboards: a team's story of a change it tested, reviewed by faculty and published."""
