"""How every page shows money, time and a status: one place, loaded as a builtin (settings.TEMPLATES)."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal, get_currency_precision, get_currency_symbol
from django import template
from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.html import format_html

register = template.Library()

DATETIME_FORMAT = "Y-m-d H:i T"  # T: the zone's abbreviation or offset (MYT / +08, WIB)

# What a status means for the person looking at it, whichever list shows it. Keyed by status value:
# the same value means the same thing in cases, refunds, orders and cancel requests.
STATUS_MEANING = {
    # waiting on us: someone here has to act
    "to_confirm": "ours",
    "confirm_refund": "ours",
    "received_return": "ours",
    "refund_processing": "ours",
    "processing": "ours",  # a refund order: finance confirms or rejects it
    "waiting_approval": "ours",
    "new": "ours",
    "in_process": "ours",
    "pending": "ours",  # a buyer's cancel request to agree or reject
    "to_push": "ours",
    "push_failed": "ours",
    # waiting on others: the buyer's parcel, the courier, the supplier
    "confirm_return": "others",
    "confirm_exchange": "others",
    "to_pickup": "others",
    "shipped": "others",
    "pushed": "others",
    # done
    "completed": "done",
    "confirmed": "done",
    "agreed": "done",
    # cancelled or rejected
    "cancelled": "closed",
    "rejected": "closed",
    "voided": "closed",
}
MEANING_CLASS = {
    "ours": "text-bg-warning",
    "others": "text-bg-info",
    "done": "text-bg-success",
    "closed": "text-bg-secondary",
}
MEANING_TITLE = {
    "ours": "Waiting on us",
    "others": "Waiting on others",
    "done": "Done",
    "closed": "Cancelled or rejected",
}


@register.filter
def money(amount, currency: str = "") -> str:
    """`{{ refund.amount|money:refund.currency }}` -> "IDR 289,000", "RM 1,234.50", "US$12.00".

    babel (CLDR) decides the separators and the decimals of each currency; the locale is settings'.
    """
    if amount is None or amount == "":
        return "—"
    try:
        amount = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    if not currency:
        return format_decimal(amount, "#,##0.00", locale=settings.MONEY_LOCALE)
    text = format_currency(amount, currency, locale=settings.MONEY_LOCALE)
    symbol = get_currency_symbol(currency, locale=settings.MONEY_LOCALE)
    if symbol[-1:].isalpha() and symbol in text:
        # CLDR's currency spacing (which babel leaves out): a letter symbol is kept apart from the digits
        text = text.replace(symbol, symbol + "\u00a0", 1)
    return text


@register.simple_tag
def money_attrs(currency: str) -> str:
    """`<form {% money_attrs order.currency %}>`: what static/js needs to show live totals as `money` does."""
    return format_html(
        'data-money-locale="{}" data-money-digits="{}"',
        settings.MONEY_LOCALE.replace("_", "-"),
        get_currency_precision(currency) if currency else 2,
    )


@register.filter
def when(value) -> str:
    """A date and time in the user's time zone (activated per request), with the zone shown."""
    if not isinstance(value, datetime):
        return "—" if value in (None, "") else str(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, DATETIME_FORMAT)


def status_meaning(status: str) -> str:
    return STATUS_MEANING.get(status, "")


@register.simple_tag
def status_badge(obj, testid: str = "status") -> str:
    """`{% status_badge case %}`: the status label, coloured by what it means (STATUS_MEANING)."""
    meaning = status_meaning(obj.status)
    css = f"status-{meaning} {MEANING_CLASS[meaning]}" if meaning else "text-bg-light border"
    return format_html(
        '<span class="badge {}" title="{}" data-testid="{}">{}</span>',
        css,
        MEANING_TITLE.get(meaning, ""),
        testid,
        obj.get_status_display(),
    )
