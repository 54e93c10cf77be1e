"""The public site (being built)."""

urlpatterns: list = []
