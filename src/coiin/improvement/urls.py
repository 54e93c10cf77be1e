"""Pages of the improvement method (being built)."""

urlpatterns: list = []
