from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import Tenant, User


class AppRequest(HttpRequest):
    """A request after our middleware: typed once, used in every view signature."""

    htmx: HtmxDetails
    tenant: Tenant | None
    user: User
