"""Checking a user's backward implementation of the affine layer against the derived
gradients: loading (`loading`), the exact symbolic and integer-exact modes, known
mistakes by name, torch support, and the report (`check_impl` is the entry point)."""

from __future__ import annotations

from .check import check_impl
from .report import Report

__all__ = ["Report", "check_impl"]
