"""The case's state table, and the pages asking it: a button is shown exactly when the service
would accept the action (the same rule, not a copy of it)."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_fsm import can_proceed

from accounts.permissions import Perm
from aftersales import services
from aftersales.models import Case, CaseStatus, CaseType
from core import machines
from core.errors import Refused
from refunds.services import refund_confirm, refund_create
from tests.factories import SKUFactory, UserFactory, WarehouseFactory, make_case, make_refund, shipped_order

S = CaseStatus
pytestmark = pytest.mark.django_db

# transition: (the states it leaves from, the states it may lead to, the role it needs)
TABLE = {
    "confirm": ({S.TO_CONFIRM}, {S.CONFIRM_RETURN, S.CONFIRM_REFUND, S.CONFIRM_EXCHANGE}, Perm.MANUAL_AFTERSALES),
    "confirm_and_stock_in": ({S.TO_CONFIRM}, {S.RECEIVED_RETURN}, Perm.MANUAL_AFTERSALES),
    "receive": ({S.CONFIRM_RETURN, S.CONFIRM_EXCHANGE}, {S.RECEIVED_RETURN}, Perm.RETURN_STOCKIN),
    "generate_exchange_order": (
        {S.CONFIRM_EXCHANGE, S.RECEIVED_RETURN},
        {S.CONFIRM_EXCHANGE, S.RECEIVED_RETURN},  # the state does not move
        Perm.MANUAL_AFTERSALES,
    ),
    "request_refund": ({S.RECEIVED_RETURN, S.CONFIRM_REFUND}, {S.REFUND_PROCESSING}, Perm.AFTERSALES_REFUND),
    "confirm_refund": ({S.REFUND_PROCESSING}, {S.COMPLETED}, Perm.AFTERSALES_REFUND),
    "reject_refund": ({S.REFUND_PROCESSING}, {S.RECEIVED_RETURN, S.CONFIRM_REFUND}, Perm.AFTERSALES_REFUND),
    "complete": ({S.RECEIVED_RETURN, S.CONFIRM_REFUND}, {S.COMPLETED}, Perm.MANUAL_AFTERSALES),
    "cancel": (set(S) - {S.COMPLETED, S.CANCELLED}, {S.CANCELLED}, Perm.MANUAL_AFTERSALES),
}
# the system's transitions, never a button: the supplier of a distribution order stocked the parcel in
SYSTEM = {"receive_elsewhere": ({S.TO_CONFIRM, S.CONFIRM_RETURN, S.CONFIRM_EXCHANGE}, {S.RECEIVED_RETURN})}


def test_the_system_transitions_are_no_ones_button():
    owner = UserFactory(owner=True)
    for name, (sources, targets) in SYSTEM.items():
        assert set(machines.sources(Case, name)) == sources, name
        transitions = [t for t in Case.get_all_status_transitions(Case()) if t.name == name]
        assert set().union(*(machines.targets(t) for t in transitions)) == targets, name
        assert machines.custom(Case, name).get("system"), name
        for state in sources:
            case = Case(tenant=owner.tenant, status=state, type=CaseType.RETURN_REFUND)
            assert name not in machines.actions(case, owner)


def test_the_table_is_the_machine_every_transition_with_its_sources_targets_role_and_label():
    transitions = [t for t in Case.get_all_status_transitions(Case()) if t.name not in SYSTEM]
    assert {t.name for t in Case.get_all_status_transitions(Case())} == set(TABLE) | set(SYSTEM)
    for name, (sources, targets, role) in TABLE.items():
        mine = [t for t in transitions if t.name == name]
        assert set(machines.sources(Case, name)) == sources, name
        assert set().union(*(machines.targets(t) for t in mine)) == targets, name
        assert {t.permission.perm for t in mine} == {role}, name
        assert machines.custom(Case, name)["label"], name


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("name", list(TABLE))
def test_each_state_allows_exactly_the_transitions_leaving_it(state, name):
    case = Case(status=state, type=CaseType.RETURN_REFUND)  # unsaved: only the state table is asked
    assert can_proceed(getattr(case, name), check_conditions=False) == (state in TABLE[name][0])


@pytest.mark.parametrize("name", list(TABLE))
def test_each_role_gets_exactly_the_buttons_its_permission_allows(name, tenant):
    sources, _, role = TABLE[name]
    case = Case(tenant=tenant, status=sorted(sources)[0], type=CaseType.RETURN_REFUND)
    transition = getattr(case, name)._django_fsm.get_transition(case.status)
    allowed = {perm for perm in Perm if transition.has_perm(case, UserFactory(tenant=tenant, perms=[perm]))}
    assert allowed == {role}


# --- the same rule for the page and the service ----------------------------------------------------


def _exchange_with_nothing_to_refund(owner) -> Case:
    """An exchange received, whose exchange items cost what the returned ones did: nothing to refund."""
    order = shipped_order(tenant=owner.tenant, lines=((Decimal("25.00"), 2),))
    case = make_case(
        order=order,
        actor=owner,
        type=CaseType.EXCHANGE,
        exchange=[(SKUFactory(tenant=owner.tenant, wholesale_price=Decimal("25.00")), 2)],
    )
    services.case_confirm(case=case, actor=owner)
    services.case_generate_exchange_order(case=case, actor=owner)
    line = case.lines.get(kind="returned")
    services.case_receive(
        case=case, actor=owner, warehouse=WarehouseFactory(tenant=owner.tenant), received={line.pk: (2, 0)}
    )
    case.refresh_from_db()
    return case


def test_an_exchange_with_nothing_to_refund_offers_complete_not_create_refund_order(owner, login):
    case = _exchange_with_nothing_to_refund(owner)
    assert case.status == S.RECEIVED_RETURN and case.refundable == 0
    # the page asks the machine
    assert set(machines.actions(case, owner)) == {"complete", "cancel"}
    client = login(owner)
    page = client.get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert "Create Refund Order" not in page and "Complete After-Sales" in page
    row = client.get(reverse("aftersales:index"), {"tab": S.RECEIVED_RETURN}).content.decode()
    assert case.number in row and "Create Refund Order" not in row
    # and the service refuses by the same rule
    with pytest.raises(Refused) as refused:
        refund_create(case=case, actor=owner, amount=Decimal("1.00"), method="cash")
    assert refused.value.code == "nothing_to_refund"


def test_a_case_whose_order_has_nothing_left_offers_complete_not_create_refund_order(owner):
    # given two Refund-Only cases on the two lines of one order, the first one refunded in full
    order = shipped_order(tenant=owner.tenant, lines=((Decimal("25.00"), 1), (Decimal("25.00"), 1)))
    first_line, second_line = order.items.order_by("pk")
    first, second = (
        services.case_create(
            tenant=owner.tenant,
            actor=owner,
            order=order,
            type=CaseType.REFUND_ONLY,
            returned=[services.LineInput(sku=line.sku, quantity=1, order_item=line)],
        )
        for line in (first_line, second_line)
    )
    for case in (first, second):
        services.case_confirm(case=case, actor=owner)
    refund_confirm(refund=make_refund(case=Case.objects.get(pk=first.pk)), actor=owner)
    assert "request_refund" in machines.actions(Case.objects.get(pk=second.pk), owner)
    # when the platform corrects what the buyer paid to what the first case refunded
    type(order).objects.filter(pk=order.pk).update(paid_amount=Decimal("25.00"))
    # then the second case has nothing its order could still pay: it is completed, not refunded
    second = Case.objects.get(pk=second.pk)
    assert second.refund_left() == Decimal("25.00")
    assert set(machines.actions(second, owner)) == {"complete", "cancel"}
    with pytest.raises(Refused) as refused:
        refund_create(case=second, actor=owner, amount=Decimal("0.01"), method="cash")
    assert refused.value.code == "nothing_to_refund"
    services.case_complete(case=second, actor=owner)


def test_refusals_carry_codes_state_condition_and_role(owner, tenant):
    case = make_case(order=shipped_order(tenant=tenant), actor=owner, type=CaseType.REFUND_ONLY)
    with pytest.raises(Refused) as no_parcel:
        services.case_confirm_and_stock_in(case=case, actor=owner, warehouse=WarehouseFactory(tenant=tenant))
    assert no_parcel.value.code == "no_parcel"
    services.case_confirm(case=case, actor=owner)
    with pytest.raises(Refused) as twice:
        services.case_confirm(case=case, actor=owner)
    assert (twice.value.code, twice.value.figures) == ("wrong_state", {"state": "Confirm Refund"})
    with pytest.raises(PermissionDenied):
        services.case_cancel(case=case, actor=UserFactory(tenant=tenant, perms=[Perm.AFTERSALES_REFUND]), reason="x")


# --- the buttons shown are the transitions available -----------------------------------------------


def _shown(html: str) -> set[str]:
    return {name for found in re.findall(r'data-transition="([^"]+)"', html) for name in found.split()}


def _cases(owner) -> list[Case]:
    """A case in each kind of state the page shows differently."""
    tenant = owner.tenant
    to_confirm = make_case(order=shipped_order(tenant=tenant), actor=owner)
    refund_only = make_case(order=shipped_order(tenant=tenant), actor=owner, type=CaseType.REFUND_ONLY)
    services.case_confirm(case=refund_only, actor=owner)
    waiting = make_case(order=shipped_order(tenant=tenant), actor=owner)
    services.case_confirm(case=waiting, actor=owner)
    exchange = make_case(
        order=shipped_order(tenant=tenant),
        actor=owner,
        type=CaseType.EXCHANGE,
        exchange=[(SKUFactory(tenant=tenant), 1)],
    )
    services.case_confirm(case=exchange, actor=owner)
    processing = make_refund(case=make_case(order=shipped_order(tenant=tenant), actor=owner)).case
    done = make_refund(case=make_case(order=shipped_order(tenant=tenant), actor=owner))
    refund_confirm(refund=done, actor=owner)
    return [to_confirm, refund_only, waiting, exchange, processing, done.case]


@pytest.mark.parametrize(
    "perms", [None, [Perm.MANUAL_AFTERSALES], [Perm.AFTERSALES_REFUND], [Perm.MANUAL_AFTERSALES, Perm.RETURN_STOCKIN]]
)
def test_the_case_page_shows_exactly_the_transitions_available_to_the_user(owner, login, perms):
    user = owner if perms is None else UserFactory(tenant=owner.tenant, perms=perms)
    client = login(user)
    for case in _cases(owner):
        case = Case.objects.get(pk=case.pk)
        response = client.get(reverse("aftersales:detail", args=[case.pk]))
        assert _shown(response.content.decode()) == set(machines.actions(case, user)), (case.status, perms)


def test_the_stock_in_waiting_list_is_the_cases_stock_in_leaves_from(owner):
    from aftersales.stock_in_selectors import returns_waiting

    tenant = owner.tenant
    to_confirm = make_case(order=shipped_order(tenant=tenant), actor=owner)
    waiting = make_case(order=shipped_order(tenant=tenant), actor=owner)
    refund_only = make_case(order=shipped_order(tenant=tenant), actor=owner, type=CaseType.REFUND_ONLY)
    for case in (waiting, refund_only):
        services.case_confirm(case=case, actor=owner)
    listed = list(returns_waiting(tenant=tenant, user=owner))
    assert listed == [Case.objects.get(pk=waiting.pk)]
    assert all(case.awaits_parcel for case in listed)
    assert not Case.objects.get(pk=to_confirm.pk).awaits_parcel


def test_the_create_refund_order_rows_are_a_fixed_number_of_queries(owner, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_received(n):
        for _ in range(n):
            case = make_case(order=shipped_order(tenant=owner.tenant), actor=owner)
            services.case_confirm_and_stock_in(case=case, actor=owner, warehouse=WarehouseFactory(tenant=owner.tenant))

    def queries_for_the_tab() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = login(owner).get(reverse("aftersales:index"), {"tab": S.RECEIVED_RETURN})
        assert response.content.decode().count('data-transition="request_refund"') == len(response.context["page"])
        return len(captured), len(response.context["page"])

    add_received(1)
    one = queries_for_the_tab()
    add_received(4)
    five = queries_for_the_tab()
    assert (one[1], five[1]) == (1, 5)
    assert one[0] == five[0]
