"""The kinds and states of an after-sales case: plain constants, below the model and every module
that reads it (limits, events, selectors), so none of them needs the model to name a state."""

from django.db import models


class CaseType(models.TextChoices):
    RETURN_REFUND = "return_refund", "Return & Refund"
    REFUND_ONLY = "refund_only", "Refund-Only"
    EXCHANGE = "exchange", "Exchange"
    ABNORMAL_RETURN = "abnormal_return", "Abnormal Return"  # channel cases only (later)
    RESHIPMENT = "reshipment", "Reshipment"  # later


MANUAL_TYPES = (CaseType.RETURN_REFUND, CaseType.REFUND_ONLY, CaseType.EXCHANGE)
PARCEL_TYPES = (CaseType.RETURN_REFUND, CaseType.EXCHANGE)  # a parcel comes back to be stocked in


class CaseSource(models.TextChoices):
    MANUAL = "manual", "Manual"
    CHANNEL = "channel", "Channel"


class CaseStatus(models.TextChoices):
    TO_CONFIRM = "to_confirm", "To Confirm"
    CONFIRM_RETURN = "confirm_return", "Confirm Return"
    CONFIRM_REFUND = "confirm_refund", "Confirm Refund"
    CONFIRM_EXCHANGE = "confirm_exchange", "Confirm Exchange"
    RECEIVED_RETURN = "received_return", "Received Return"
    REFUND_PROCESSING = "refund_processing", "Refund Processing"
    COMPLETED = "completed", "After-Sales Completed"
    CANCELLED = "cancelled", "Cancelled"


S = CaseStatus
OPEN_STATES = [s for s in S if s not in (S.COMPLETED, S.CANCELLED)]
CONFIRMED_STATE = {
    CaseType.RETURN_REFUND: S.CONFIRM_RETURN,
    CaseType.REFUND_ONLY: S.CONFIRM_REFUND,
    CaseType.EXCHANGE: S.CONFIRM_EXCHANGE,
}
