"""The details a case gathers on the way: tracking number, person in charge, notes, buyer evidence."""

from django.db import transaction

from accounts.permissions import Perm, require_perm
from aftersales import events
from aftersales.models import Case, CaseAttachment
from aftersales.services.transitions import lock_case
from core.errors import Refused
from core.tenancy import require_same_tenant


@transaction.atomic
def case_update(*, case: Case, actor, return_tracking_number: str, assignee, notes: str) -> Case:
    """The details a case gathers on the way: tracking number, person in charge, notes."""
    require_perm(actor, Perm.MANUAL_AFTERSALES)
    require_same_tenant(case.tenant_id, actor, assignee)
    case = lock_case(case)
    if not case.is_open:
        raise Refused(f"Case {case.number} is {case.get_status_display()} and cannot be edited.", code="case_closed")
    new = {"return_tracking_number": return_tracking_number.strip(), "assignee": assignee, "notes": notes}
    changed = [field for field, value in new.items() if getattr(case, field) != value]
    if not changed:
        return case
    for field in changed:
        setattr(case, field, new[field])
    case.save(update_fields=[*changed, "updated_at"])
    events.case_edited(case=case, actor=actor, fields=changed)
    return case


@transaction.atomic
def attachment_add(*, case: Case, actor, upload, content_type: str) -> CaseAttachment:
    """Add buyer evidence while the case is open; `content_type` was read from the file's content
    by the form."""
    require_perm(actor, Perm.MANUAL_AFTERSALES)
    require_same_tenant(case.tenant_id, actor)
    case = lock_case(case)
    if not case.is_open:
        raise Refused(
            f"Case {case.number} is {case.get_status_display()}: no more evidence can be added.", code="case_closed"
        )
    return _attach(case, actor, upload, content_type)


def _attach(case: Case, actor, upload, content_type: str) -> CaseAttachment:
    attachment = CaseAttachment.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        file=upload,
        name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    events.case_attachment_added(case=case, actor=actor, name=attachment.name)
    return attachment
