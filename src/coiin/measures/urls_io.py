"""Import and export pages (being built)."""

urlpatterns: list = []
