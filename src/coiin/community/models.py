"""Discussions, resources, technical assistance, mentoring and notifications (being built)."""
