"""perform(): the service called once; a refusal said (or put beside its field), a success said, the
user sent on, with HX-Redirect when htmx asked."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from core.actions import perform
from core.errors import Refused


def _request(*, htmx: bool = False):
    request = RequestFactory().post("/", headers={"HX-Request": "true"} if htmx else {})
    request._messages = CookieStorage(request)
    request.htmx = HtmxDetails(request)
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def _refuse():
    raise Refused("Order ORD-1 is not waiting to approve.", code="not_waiting")


def test_success_is_said_and_the_user_sent_on():
    request = _request()
    response = perform(request, lambda: 42, success=lambda n: f"Done {n}.", redirect_to="/orders/")
    assert (response.status_code, response["Location"]) == (302, "/orders/")
    assert _said(request) == [("success", "Done 42.")]


def test_a_refusal_is_said_as_an_error_and_the_user_sent_on_all_the_same():
    request = _request()
    response = perform(request, _refuse, success="Never said.", redirect_to="/orders/")
    assert (response.status_code, response["Location"]) == (302, "/orders/")
    assert _said(request) == [("error", "Order ORD-1 is not waiting to approve.")]


def test_an_htmx_request_is_sent_on_by_a_page_load():
    request = _request(htmx=True)
    response = perform(request, lambda: None, success="Saved.", redirect_to="/orders/")
    assert (response.status_code, response["HX-Redirect"]) == (200, "/orders/")


class ReasonForm(forms.Form):
    REFUSAL_FIELDS = {"not_waiting": "reason"}
    reason = forms.CharField()


def test_with_a_form_the_refusal_goes_beside_its_field_and_the_form_is_shown_again():
    request = _request()
    form = ReasonForm({"reason": "late"})
    assert form.is_valid()
    assert perform(request, _refuse, success="Never said.", redirect_to="/orders/", form=form) is None
    assert form.errors == {"reason": ["Order ORD-1 is not waiting to approve."]}
    assert _said(request) == []


def test_a_refusal_of_another_code_goes_above_the_form():
    request = _request()
    form = ReasonForm({"reason": "late"})
    form.is_valid()

    def refuse():
        raise Refused("Changed meanwhile: reload.", code="stale")

    assert perform(request, refuse, success="", redirect_to="/", form=form) is None
    assert form.non_field_errors() == ["Changed meanwhile: reload."]
