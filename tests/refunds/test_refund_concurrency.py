"""Two finance users at once, each thread on its own connection and transaction: one refund is
confirmed once, and one case gets one refund order."""

from decimal import Decimal

import pytest

from accounts.permissions import Perm
from aftersales.models import CaseEvent, CaseStatus
from aftersales.services import case_confirm_and_stock_in
from refunds.models import PaymentMethod, RefundOrder, RefundStatus
from refunds.services import refund_confirm, refund_create
from tests.concurrency import race
from tests.factories import UserFactory, WarehouseFactory, make_case, make_refund

pytestmark = pytest.mark.django_db(transaction=True)

USERS = 2


def test_two_finance_users_confirming_one_refund_confirm_it_once():
    # given a refund in Refund Processing and two finance users
    refund = make_refund()
    users = [UserFactory(tenant=refund.tenant, perms=[Perm.AFTERSALES_REFUND]) for _ in range(USERS)]
    # when both click Confirm Refund at the same moment
    done, refused, errors = race(lambda user: refund_confirm(refund=refund, actor=user), users)
    # then exactly one succeeds, the other is told it is already confirmed
    assert not errors, errors
    assert len(done) == 1 and len(refused) == 1
    assert refused[0].code == "wrong_state" and refused[0].figures["state"] == "Confirmed"
    refund.refresh_from_db()
    case = refund.case
    assert (refund.status, refund.decided_by) == (RefundStatus.CONFIRMED, done[0].decided_by)
    assert case.status == CaseStatus.COMPLETED
    assert case.events.filter(type=CaseEvent.Type.REFUND_CONFIRMED).count() == 1
    assert case.events.filter(to_status=CaseStatus.COMPLETED).count() == 1
    assert case.refunded() == case.refundable == Decimal("50.00")


def test_two_users_creating_a_refund_order_on_one_case_make_one():
    # given a received case and two finance users
    case = make_case()
    case_confirm_and_stock_in(case=case, actor=case.created_by, warehouse=WarehouseFactory(tenant=case.tenant))
    users = [UserFactory(tenant=case.tenant, perms=[Perm.AFTERSALES_REFUND]) for _ in range(USERS)]

    def create(user):
        return refund_create(case=case, actor=user, amount=Decimal("50.00"), method=PaymentMethod.CASH)

    # when both submit Create Refund Order at the same moment
    done, refused, errors = race(create, users)
    # then one refund order exists, and the other user is told the case moved on
    assert not errors, errors
    assert len(done) == 1 and len(refused) == 1
    assert "Refund Processing: Create Refund Order is not possible now" in str(refused[0])
    assert RefundOrder.objects.filter(case=case).count() == 1
    assert case.events.filter(type=CaseEvent.Type.REFUND_REQUESTED).count() == 1
