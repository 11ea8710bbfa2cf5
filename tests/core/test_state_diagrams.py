from pathlib import Path

from django.conf import settings

from core.machines import diagrams_markdown


def test_the_committed_diagrams_are_drawn_from_the_transitions_of_today():
    committed = (Path(settings.BASE_DIR) / "docs" / "state-machines.md").read_text()
    assert committed == diagrams_markdown(), "run `python manage.py state_diagrams` and commit docs/state-machines.md"


def test_every_machine_is_drawn_with_each_transition_labelled():
    doc = diagrams_markdown()
    for machine in ("aftersales.Case.status", "refunds.RefundOrder.status", "orders.Order.status"):
        assert machine in doc
    assert "received_return --> refund_processing : Create Refund Order · if has_refund_left" in doc
    assert "any --> shipped : Sync from the platform (system)" in doc
