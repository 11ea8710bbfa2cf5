"""TikTok Shop (API 202309): its routes, its control routes and its answer to an injected fault."""

from sandbox.tiktok import auth, cancellations, control, orders, page
from sandbox.tiktok.common import fault_answer

ROUTES = auth.ROUTES + orders.ROUTES + cancellations.ROUTES
CONTROL_ROUTES = control.ROUTES + page.ROUTES

__all__ = ["CONTROL_ROUTES", "ROUTES", "fault_answer"]
