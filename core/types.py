from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AppRequest(HttpRequest):
    """A request after our middleware: typed once, used in every view signature. The user is an
    accounts.User and the tenant an accounts.Tenant; core names no app, so they are typed by their bases."""

    htmx: HtmxDetails
    tenant: models.Model | None
    user: AbstractBaseUser
