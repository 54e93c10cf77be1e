"""Models of the API (personal access tokens)."""
