"""Lazada Open Platform: its routes, its control routes and its answer to an injected fault
(see the docstring of the sandbox package for its endpoints)."""

from sandbox.lazada import auth, cancel, control, logistics, orders, page
from sandbox.lazada.common import fault_answer

ROUTES = auth.ROUTES + orders.ROUTES + cancel.ROUTES + logistics.ROUTES
CONTROL_ROUTES = control.ROUTES + page.ROUTES

__all__ = ["CONTROL_ROUTES", "ROUTES", "fault_answer"]
