"""No input makes a 500: hostile query parameters and form values on every URL, as every demo user.

The URLconf is walked (as in test_tenant_isolation.py), each URL filled with objects of the user's
own tenant (one per state, where the state changes what the page shows). Each page is first asked
plainly, which tells the parameters it reads (request.GET records them) and the forms it renders
(read from its HTML); then Hypothesis sends hostile values to those parameters, and posts hostile
values into every field of those forms, the other fields left as the page filled them. Every
answer must be below 500.

The demo is seeded once for the module, inside a transaction rolled back at the end; each test
runs in a savepoint of it, so what one test's posts change is gone for the next.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DEMO_LOGINS = ["seller", "operator", "finance", "warehouse", "orderdesk", "supplier"]
USERS = ["anonymous", *DEMO_LOGINS]  # anonymous: the login page, and the redirects to it
SKIPPED_NAMESPACES = {"admin"}  # Django's own admin, for the platform operator
SKIPPED_URLS = {"accounts:logout"}  # it would end the session the other requests need
EXAMPLES = 8  # Hypothesis examples per page and per form, on top of the fixed ones

# The patterns the attacker's fuzz made 500s with, and their neighbours.
HOSTILE = [
    "\x00",
    "a\x00b",
    "\x01\x08\x1b[2J\x7f\x9f",
    "²",
    "٣",
    "\uff11\uff12",  # full-width 12
    "1e999",
    "-1",
    "0",
    "-0.00",
    "NaN",
    "Infinity",
    "2147483647",  # the largest an integer column holds: a product of two such figures does not fit
    "2147483648",
    "99999999999999999999",
    "9999999999.99",
    "10000000000.00",
    "9999999999.999",
    "0.001",
    "2026-02-30",
    "99999-01-01",
    "0000-00-00",
    "2026-13-01\n",
    "x" * 5000,
    "' OR 1=1 --",
    "%00",
    "<script>alert(1)</script>",
]
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
)


# -- the URLconf --------------------------------------------------------------------------------


def _walk(patterns, namespace="", converters=None):
    for entry in patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace not in SKIPPED_NAMESPACES:
                yield from _walk(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", tuple(sorted(found))


URLS = sorted({(name, params) for name, params in _walk(get_resolver().url_patterns) if name not in SKIPPED_URLS})


def _first_per(queryset, field_name: str) -> list[int]:
    """The first pk of each value of `field_name`: one object per state."""
    firsts = {}
    for pk, value in queryset.order_by("pk").values_list("pk", field_name):
        firsts.setdefault(value, pk)
    return list(firsts.values())


def _objects(tenant) -> dict[str, list[int]]:
    """URL parameter -> ids in the tenant, one per state that changes what its pages show."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from accounts.models import Role, User
    from aftersales.models import Case, CaseAttachment
    from channels.models import Store
    from distribution.models import DistributionOrder, Partnership, ReturnPush, SupplierReturn
    from inventory.models import SKU, CustomerTier, Warehouse
    from orders.models import CancelRequest, Order, OrderStatus
    from refunds.models import RefundOrder

    owner = User.objects.get(tenant=tenant, is_owner=True)
    orders = Order.objects.for_tenant(tenant)
    opened = orders.filter(status__in=[OrderStatus.NEW, OrderStatus.IN_PROCESS])
    return {
        "user_id": _first_per(User.objects.filter(tenant=tenant, is_owner=False), "is_active"),
        "role_id": _first_per(Role.objects.filter(tenant=tenant), "tenant"),
        # one per status, and one open order per channel (the cancel form differs by platform)
        "order_id": sorted(set(_first_per(orders, "status")) | set(_first_per(opened, "store__channel"))),
        "request_id": _first_per(CancelRequest.objects.for_tenant(tenant), "status"),
        "sku_id": _first_per(SKU.objects.for_tenant(tenant), "is_combo"),  # a single SKU and a combo
        "tier_id": _first_per(CustomerTier.objects.for_tenant(tenant), "tenant"),
        "warehouse_id": _first_per(Warehouse.objects.for_tenant(tenant), "kind"),
        "case_id": _first_per(Case.objects.for_tenant(tenant), "status"),
        "refund_id": _first_per(RefundOrder.objects.for_tenant(tenant), "status"),
        "attachment_id": _first_per(CaseAttachment.objects.for_tenant(tenant), "tenant"),
        # distribution: the distributor's records (one per tab), the supplier's returns (one per tab)
        "push_id": sorted(
            set(_first_per(ReturnPush.objects.for_tenant(tenant), "status"))
            # and one whose supplier refund waits for its Confirm receipt (its transfer proof to open)
            | set(
                _first_per(
                    ReturnPush.objects.for_tenant(tenant).filter(supplier_return__refund_order__proof__gt=""), "tenant"
                )
            )
        ),
        "return_id": _first_per(SupplierReturn.objects.for_tenant(tenant), "status"),
        "partnership_id": _first_per(Partnership.objects.for_tenant(tenant), "status"),
        "distribution_order_id": _first_per(DistributionOrder.objects.for_tenant(tenant), "partnership"),
        # the main account's password reset link, as the e-mail gives it
        "uidb64": [urlsafe_base64_encode(force_bytes(owner.pk))],
        "token": [default_token_generator.make_token(owner)],
        "store_id": _first_per(Store.objects.for_tenant(tenant), "channel"),
    }


def _extra_queries(tenant) -> dict[str, list[str]]:
    """Pages whose form shows only with a query: Create After-Sales Order, once an order is picked."""
    from orders.models import Order
    from orders.selectors import ELIGIBLE_FOR_AFTERSALES

    eligible = Order.objects.for_tenant(tenant).filter(status__in=ELIGIBLE_FOR_AFTERSALES, cases__isnull=True)
    return {"aftersales:create": [f"order={pk}" for pk in _first_per(eligible, "store__channel")]}


# -- what a page reads and shows ----------------------------------------------------------------


class RecordingQueryDict(QueryDict):
    """request.GET that remembers the names the view asked for."""

    read: set[str] = set()

    def get(self, key, default=None):
        RecordingQueryDict.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        RecordingQueryDict.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__contains__(key)


@dataclass
class Form:
    method: str
    action: str  # absolute path and query
    values: dict[str, list[str]] = field(default_factory=dict)  # as the page filled it
    options: dict[str, list[str]] = field(default_factory=dict)  # a select's or a radio's choices
    files: set[str] = field(default_factory=set)

    @property
    def names(self) -> list[str]:
        return sorted(n for n in {*self.values, *self.options, *self.files} if n != "csrfmiddlewaretoken")

    @property
    def signature(self) -> tuple:
        """Forms of the same shape (row ids aside) are fuzzed once."""
        return (self.method, _url_name(self.action), tuple(sorted({re.sub(r"\d+", "N", n) for n in self.names})))


class FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.links = page_url, [], []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_url, a["href"]))
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._form = Form(a.get("method", "get").lower(), action)
            self.forms.append(self._form)
        form = self._form
        name = a.get("name")
        if form is None or not name or "disabled" in a:
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and kind == "file":
            form.files.add(name)
        elif tag == "input" and kind in ("checkbox", "radio"):
            form.options.setdefault(name, []).append(a.get("value", "on"))
            if "checked" in a:
                form.values.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "input" and kind not in ("submit", "button", "reset", "image"):
            form.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "button" and kind == "submit" and "value" in a:
            form.options.setdefault(name, []).append(a["value"])
        elif tag == "select":
            self._select = name
            form.options.setdefault(name, [])
        elif tag == "option" and self._select:
            form.options[self._select].append(a.get("value", ""))
            if "selected" in a:
                form.values.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            form.values.setdefault(name, []).append("")

    def handle_data(self, data):
        if self._form and self._textarea:
            self._form.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Survey:
    """What one user's plain visit of the URLconf found."""

    urls: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # url name -> urls asked
    pages: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # url name -> urls answering 200
    reads: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # url name -> GET names
    forms: dict[str, list[Form]] = field(default_factory=lambda: defaultdict(list))  # action's url name -> forms
    deep: set = field(default_factory=set)  # the pages and forms this user is the first to show
    statuses: dict[str, int] = field(default_factory=dict)


def _url_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def _survey(client: Client, tenant, monkeypatch, logged_in: bool) -> Survey:
    monkeypatch.setattr("django.core.handlers.wsgi.QueryDict", RecordingQueryDict)
    objects, extra = _objects(tenant), _extra_queries(tenant)
    survey, seen_forms = Survey(), set()
    for name, params in URLS:
        if any(not objects.get(p) for p in params):
            continue
        # every object of each kind where the page has one parameter; the first of each otherwise
        if len(params) == 1:
            urls = [reverse(name, kwargs={params[0]: value}) for value in objects[params[0]]]
        else:
            urls = [reverse(name, kwargs={p: objects[p][0] for p in params})]
        urls += [f"{reverse(name)}?{query}" for query in extra.get(name, [])]
        for url in urls:
            RecordingQueryDict.read = set()
            response = client.get(url)
            if response.status_code == 302 and _url_name(response.url) == name:  # a reset link's own redirect
                url = response.url
                response = client.get(url)
            survey.urls[name].append(url)
            survey.statuses[url] = response.status_code
            _check(response, (url,))
            survey.reads[name] |= RecordingQueryDict.read
            # a page, or (logged in) a link that sends the user on: Connect store's to the platform,
            # the platform's callback back to a store page; its query is fuzzed as a page's
            if response.status_code == 200 or (logged_in and response.status_code == 302):
                survey.pages[name].append(url)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            parser = FormParser(url)
            parser.feed(response.content.decode())
            for link in parser.links:  # the names a page's own links pass to it
                if _url_name(link) == name:
                    survey.reads[name] |= set(QueryDict(urlsplit(link).query))
            for form in parser.forms:
                target = _url_name(form.action)
                if form.method == "get" and target:
                    survey.reads[target] |= set(form.names)
                elif target and form.signature not in seen_forms:
                    seen_forms.add(form.signature)
                    survey.forms[target].append(form)
    return survey


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", verbosity=0)
            from accounts.models import User

            yield {username: User.objects.get(username=username) for username in DEMO_LOGINS}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def surveys(demo, django_db_blocker):
    """username -> (client, survey), the plain visit made once per user."""
    found = {}
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        for username in USERS:
            client = Client(raise_request_exception=False)
            user = demo.get(username)
            if user:
                client.force_login(user)
            tenant = user.tenant if user else demo["seller"].tenant  # the ids a stranger might try
            found[username] = (client, _survey(client, tenant, monkeypatch, logged_in=user is not None))
    # Hypothesis searches each page and each form once, as the first user shown it; the other users
    # who see it send the fixed values only (the same code runs, but for the rows they may see)
    seen = set()
    for _, survey in found.values():
        shown = {(name, tuple(sorted(survey.reads[name]))) for name in survey.pages}
        shown |= {form.signature for forms in survey.forms.values() for form in forms}
        survey.deep = shown - seen
        seen |= shown
    _assert_reaches_every_url(found)
    return found


def _assert_reaches_every_url(surveys: dict) -> None:
    """Every URL answered 200 to some user, or had a form posting to it, or takes only POST (and gets
    the bare hostile post, when no demo object shows its form): nothing is left unfuzzed. Checked in
    the fixture, not in a test of its own: pytest would run that one apart, and seed the demo again."""
    reached = {name for _, survey in surveys.values() for name in [*survey.pages, *survey.forms]}
    post_only = {
        name
        for _, survey in surveys.values()
        for name, urls in survey.urls.items()
        if urls and all(survey.statuses[url] == 405 for url in urls)
    }
    missed = {name for name, _ in URLS} - reached - post_only
    assert not missed, f"the fuzz reaches no page nor form of {missed}"
    forms = {name for _, survey in surveys.values() for name in survey.forms}
    expected = {"aftersales:create", "aftersales:cancel", "refunds:reject", "orders:entry-create", "accounts:login"}
    assert expected <= forms, f"no form found for {expected - forms}"


# -- the fuzz -----------------------------------------------------------------------------------


def _check(response, what) -> None:
    assert response.status_code < 500, (*what, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)


def _fuzz_query(client: Client, url: str, names: list[str], deep: bool) -> None:
    """Hostile values for the names the page reads: fixed ones, then (`deep`) Hypothesis's."""
    base = urlsplit(url)
    kept = QueryDict(base.query)

    def send(values: dict[str, str]) -> None:
        query = kept.copy()
        for name, value in values.items():
            query[name] = value
        response = client.get(f"{base.path}?{query.urlencode()}")
        _check(response, (url, values))
        return response

    if not deep:
        for value in ("\x00", "²"):
            send(dict.fromkeys(names, value))
        return
    # each name alone once; then the names that do not refuse a bad value outright (a 404 for an
    # unknown tab) all at once, with each fixed value
    lenient = []
    for name in names:
        response = send({name: "\x00"})
        if response.status_code not in (400, 404):
            lenient.append(name)
    for value in ("²", "99999999999999999999", "2026-02-30", "x" * 5000):
        if lenient:
            send(dict.fromkeys(lenient, value))
        for name in set(names) - set(lenient):
            send({name: value})

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)
    @given(st.dictionaries(st.sampled_from(names), hostile, min_size=1))
    def mixed(values):
        send(values)

    mixed()


def _fuzz_form(client: Client, form: Form, deep: bool) -> None:
    """Hostile values into some fields of the form, the others as the page filled them (a valid
    form but for the hostile field, so that its value gets as far as it can)."""
    names = [n for n in form.names if n not in form.files]
    if not names:
        _check(client.post(form.action, {}), (form.action, {}))
        return

    def field_value(name: str):
        choices = [c for c in form.options.get(name, []) if c]
        return st.one_of(st.sampled_from(choices), hostile) if choices else hostile

    def send(values: dict[str, str]) -> None:
        data = {name: value for name, value in form.values.items() if name != "csrfmiddlewaretoken"}
        data.update({name: [value] for name, value in values.items()})
        _check(client.post(form.action, data), (form.action, values))

    for value in ("\x00", "99999999999999999999", "10000000000.00"):
        send(dict.fromkeys(names, value))
    if not deep:
        return

    @settings(
        max_examples=EXAMPLES * 3,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True).flatmap(
            lambda chosen: st.fixed_dictionaries({name: field_value(name) for name in chosen})
        )
    )
    def some_fields(values):
        send(values)

    some_fields()


FUZZED = [(username, name) for username in USERS for name, _ in URLS]


# argument names of their own: pytest groups tests sharing a parametrized name and value across
# modules, which would seed the demo again for each group
@pytest.mark.parametrize(("login_as", "view_name"), FUZZED, ids=[f"{u}-{n}" for u, n in FUZZED])
def test_no_input_makes_a_500(login_as, view_name, surveys, db):
    client, survey = surveys[login_as]
    # when hostile values go to every parameter the page reads
    names = sorted(survey.reads[view_name])
    for url in survey.pages[view_name][:1]:
        if names:
            _fuzz_query(client, url, names, deep=(view_name, tuple(names)) in survey.deep)
    # and into every field of every form posting to it
    for form in survey.forms[view_name]:
        _fuzz_form(client, form, deep=form.signature in survey.deep)
    # and a bare hostile post where the user was shown no form (refused, or the URL takes none)
    if not survey.forms[view_name]:
        for url in survey.urls[view_name][:1]:
            _check(client.post(url, {"q": "\x00", "id": "²"}), (url, "post"))
    # then no answer was a 5xx (checked on each request)


OBJECT_URLS = [(name, params) for name, params in URLS if params]


@pytest.mark.parametrize(("view_name", "kwarg_names"), OBJECT_URLS, ids=[name for name, _ in OBJECT_URLS])
def test_an_id_past_a_bigint_is_not_found(view_name, kwarg_names, surveys, db):
    client, _ = surveys["supplier" if view_name.startswith("bigshop:") else "seller"]  # BigShop: suppliers'

    url = reverse(view_name, kwargs=dict.fromkeys(kwarg_names, 2**64))
    for method in (client.get, client.post):
        assert method(url).status_code in (404, 405), url
