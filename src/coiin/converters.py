from django.urls import register_converter


class PostalCode:
    """A two-letter jurisdiction code in a URL (ga, GA)."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PostalCode, "postal")
