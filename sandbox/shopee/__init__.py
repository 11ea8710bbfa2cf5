"""Shopee Open Platform v2 in the sandbox (see the docstring of the sandbox package for its endpoints)."""

from sandbox.shopee.api import ROUTES
from sandbox.shopee.common import fault_answer
from sandbox.shopee.control import ROUTES as CONTROL_ROUTES

__all__ = ["CONTROL_ROUTES", "ROUTES", "fault_answer"]
