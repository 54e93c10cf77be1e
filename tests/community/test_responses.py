"""A submitted form: on success, on to what it made; otherwise its page again (400) with
each error beside its field and nothing stored."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from coiin.community import responses
from coiin.community.ta import services as ta
from coiin.community.ta.models import TAMessage


class NoteForm(forms.Form):
    body = forms.CharField()


class Made:
    def get_absolute_url(self) -> str:
        return "/made/"


def page(form: forms.Form) -> HttpResponse:
    return HttpResponse(" | ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))


def test_a_good_form_is_saved_and_goes_on_to_what_it_made():
    saved = []
    response = responses.submit(NoteForm({"body": "Hello"}), page=page,
                                save=lambda data: saved.append(data["body"]) or Made())
    assert (response.status_code, response["Location"]) == (302, "/made/")
    assert saved == ["Hello"]


def test_a_bad_form_is_not_saved_and_comes_back_with_its_errors():
    def save(data):
        raise AssertionError("an invalid form must not reach the service")

    response = responses.submit(NoteForm({"body": ""}), save=save, page=page)
    assert response.status_code == 400
    assert "body: This field is required." in response.content.decode()


def test_the_services_refusal_lands_on_the_field_it_names():
    def save(data):
        raise ValidationError({"body": "Too vague to act on.", "elsewhere": "Not a field."})

    body = responses.submit(NoteForm({"body": "Hm"}), save=save, page=page).content.decode()
    assert "body: Too vague to act on." in body
    assert "__all__: Not a field." in body


def test_a_refusal_naming_no_field_goes_on_top():
    def save(data):
        raise ValidationError("The thread is closed.")

    response = responses.submit(NoteForm({"body": "Hm"}), save=save, page=page)
    assert response.status_code == 400
    assert "__all__: The thread is closed." in response.content.decode()


def _request(team, lead):
    return ta.open_request(team=team, by=lead, topic="Our run chart",
                           description="Is this a shift?")


def test_a_ta_reply_goes_back_to_the_thread(as_persona, team, lead, faculty):
    r = _request(team, lead)
    response = as_persona("faculty").post(f"/community/ta/{r.pk}/reply/",
                                          {"body": "Six points above the median: yes."})
    assert (response.status_code, response["Location"]) == (302, r.get_absolute_url())
    assert list(r.messages.values_list("body", flat=True)) == [
        "Six points above the median: yes."]


def test_a_bad_ta_reply_shows_the_thread_again_with_the_error(as_persona, team, lead,
                                                              faculty):
    r = _request(team, lead)
    response = as_persona("faculty").post(f"/community/ta/{r.pk}/reply/",
                                          {"body": "```\nan unclosed code block"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "never closed" in body and "Our run chart" in body
    assert not TAMessage.objects.filter(request=r).exists()
