"""Community pages (being built)."""

urlpatterns: list = []
