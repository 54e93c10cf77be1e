"""Forms of the community pages: they check input; the services do the work."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coiin import access, markdown
from coiin.access import Action
from coiin.measures.models import Measure
from coiin.network.models import Jurisdiction
from coiin.network.written import WrittenSelect

from .models import Post, Space
from .resources.models import Resource
from .uploads import CheckedFile, check_upload, max_bytes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; each one checked by content, extension and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_upload(super().clean(upload, initial)))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        if self.required and not checked:
            raise ValidationError(gettext("Choose a file."))
        return checked


TEXT = _("Text")


def text_field(label: str | Promise = TEXT, rows: int = 8) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), strip=False,
        max_length=None,
        help_text=format_lazy(
            _("Markdown: **bold**, *italic*, lists, [links](https://…), `code`. Mention "
              "someone with @first.last. At most {max_chars} characters."),
            max_chars=format(markdown.max_chars(), ",")))


def check_text(value: str) -> str:
    markdown.check(value)
    return value


MAX_TAGS = 12


class TitledSelectMultiple(forms.SelectMultiple):
    """Each option carries its text as a title too: long names are cut off in a narrow
    list box, and the title shows them whole on hover."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["title"] = str(label)
        return option


class TagPicker(forms.MultipleChoiceField):
    """Tags linking a post to change ideas, measures and jurisdictions: one multi-select,
    grouped by kind (a plain ``<select multiple>`` that a small script makes filterable).

    Values are ``idea:<pk>``, ``measure:<code>`` and ``jurisdiction:<postal code>``; the
    cleaned value is the list of objects, for ``services.tag_for``.
    """

    widget = TitledSelectMultiple(attrs={"size": 10, "class": "tag-picker"})
    default_error_messages = {
        "invalid_choice": _("Unknown tag “%(value)s”: choose change ideas, measures and "
                            "jurisdictions from the list."),
    }

    def __init__(self, *args, **kwargs):
        # Made when the form class is defined: lazy text, translated when shown.
        kwargs.setdefault("label", _("Tags"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", format_lazy(
            _("Link the post to change ideas, measures and jurisdictions (at most "
              "{max_tags}). Hold Ctrl (⌘ on a Mac) to choose several."), max_tags=MAX_TAGS))
        super().__init__(*args, **kwargs)
        self.objects: dict[str, object] = {}

    def load(self) -> None:
        """Offer every change idea (by network), catalog measure and jurisdiction."""
        from coiin.improvement.models import ChangeIdea

        self.objects = {}
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        by_network: dict[str, list[tuple[str, str]]] = {}
        for idea in ChangeIdea.objects.select_related("learning_network").order_by(
                "learning_network__position", "position", "title", "pk"):
            value = f"idea:{idea.pk}"
            self.objects[value] = idea
            by_network.setdefault(gettext("Change ideas: %(network)s")
                                  % {"network": idea.learning_network.short_name},
                                  []).append((value, idea.title))
        groups.extend(by_network.items())
        measures = []
        for m in Measure.objects.filter(is_custom=False).only("code", "name").order_by("code"):
            value = f"measure:{m.code}"
            self.objects[value] = m
            measures.append((value, f"{m.code}: {m.name}"))
        groups.append((gettext("Measures"), measures))
        places = []
        for j in Jurisdiction.objects.order_by("name"):
            value = f"jurisdiction:{j.postal_code}"
            self.objects[value] = j
            places.append((value, j.name))
        groups.append((gettext("Jurisdictions"), places))
        self.choices = groups

    def clean(self, value):
        chosen = super().clean(value)
        if len(chosen) > MAX_TAGS:
            raise ValidationError(gettext("At most %(max_tags)s tags; you chose %(number)s.")
                                  % {"max_tags": MAX_TAGS, "number": len(chosen)})
        return [self.objects[v] for v in dict.fromkeys(chosen)]


class ResourceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        where = f" ({obj.network.short_name})" if obj.network_id else ""
        return f"{obj.title}{where}"


class SpaceChoice(forms.ModelChoiceField):
    """A space by its name in the reader's language."""

    def label_from_instance(self, obj: Space) -> str:
        return obj.display_name


class SpacesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Space) -> str:
        return obj.display_name


class TagChoice(forms.ModelChoiceField):
    """A tag by its label in the reader's language."""

    def label_from_instance(self, obj) -> str:
        return obj.display_label


class PostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of post"), choices=Post.Kind.choices)
    title = forms.CharField(max_length=200, label=_("Title"))
    body = text_field()
    also_in = SpacesChoice(
        label=_("Also post in"), queryset=Space.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cross-post to other spaces you can write in."))
    tags = TagPicker()
    resource = ResourceChoice(
        label=_("Attach a resource from the library"), queryset=Resource.objects.none(),
        required=False, empty_label=_("No resource"), widget=WrittenSelect,
        error_messages={"invalid_choice": _("That resource is not in the library (it may "
                                            "have been removed); choose another.")})
    files = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, spaces=(), user=None, **kwargs):

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["also_in"].queryset = Space.objects.filter(pk__in=[s.pk for s in spaces])
        self.fields["tags"].load()
        self.may_see_resources = user is not None and access.can(user, Action.VIEW_RESOURCE)
        self.fields["resource"].queryset = Resource.objects.select_related(
            "network").order_by("title", "pk")
        self.fields["files"].help_text = gettext(
            "PDF, Word, Excel, PowerPoint, images or CSV; at most %(size)s MB each.") % {
            "size": max_bytes() // (1024 * 1024)}

    def clean_body(self) -> str:
        return check_text(self.cleaned_data["body"])

    def clean_resource(self) -> Resource | None:
        resource = self.cleaned_data["resource"]
        if resource is not None and not self.may_see_resources:
            raise ValidationError(gettext("You cannot see that resource, so you cannot attach it."))
        return resource

    @property
    def checked_files(self) -> list[CheckedFile]:
        return self.cleaned_data.get("files") or []


class CommentForm(forms.Form):
    body = text_field(_("Your comment"), rows=4)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self) -> str:
        return check_text(self.cleaned_data["body"])


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             label=_("Reason"))


class ModerateForm(ReasonForm):
    action = forms.ChoiceField(choices=[(a, a) for a in
                                        ("hide", "unhide", "lock", "unlock", "pin", "unpin",
                                         "move")], label=_("Action"))
    to_space = SpaceChoice(queryset=Space.objects.all(), required=False, label=_("To space"))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    space = SpaceChoice(queryset=Space.objects.none(), required=False,
                        empty_label=_("All my spaces"), label=_("Space"))
    kind = forms.ChoiceField(choices=[("", _("Any kind")), *Post.Kind.choices], required=False,
                             label=_("Kind"))
    tag = TagChoice(queryset=None, required=False, empty_label=_("Any tag"), label=_("Tag"))
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, spaces=None, **kwargs):
        from .models import Tag

        super().__init__(*args, **kwargs)
        if spaces is not None:
            self.fields["space"].queryset = spaces
        self.fields["tag"].queryset = Tag.objects.all()
