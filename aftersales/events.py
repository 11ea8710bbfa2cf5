from aftersales.models import Case, CaseEvent


def case_event(*, case: Case, type: CaseEvent.Type, actor=None, from_status: str = "", **data) -> CaseEvent:
    """One timeline row; `to_status` is the case's state now (blank when the state did not move)."""
    to_status = case.status if from_status and from_status != case.status else ""
    return CaseEvent.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        type=type,
        actor=actor,
        from_status=from_status if to_status else "",
        to_status=to_status,
        data=data,
    )
