"""Backbone reporting-status pages (being built)."""

urlpatterns: list = []
