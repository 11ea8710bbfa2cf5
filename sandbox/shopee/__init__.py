"""Shopee Open Platform v2 in the sandbox (see the docstring of the sandbox package for its endpoints)."""

from sandbox.shopee import control, page
from sandbox.shopee.api import ROUTES
from sandbox.shopee.common import fault_answer

CONTROL_ROUTES = control.ROUTES + page.ROUTES

__all__ = ["CONTROL_ROUTES", "ROUTES", "fault_answer"]
