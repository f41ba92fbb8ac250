"""Fingerprints of the resolver code a planned field stands in for.

A planned field implementation (``dfdg.plan.felter``) restates what a resolver does, in a form that
runs per batch instead of per object. When someone changes that resolver, the restatement may be
stale: each implementation records the fingerprint of the resolver code it was written against,
and a field whose resolver no longer matches is simply not planned (the reference executor runs
it) until the planner is reviewed. ``tests/test_plan_drift.py`` fails in that case and names the
fields, so the review is not forgotten.

The fingerprint is over the code's syntax tree without decorators, docstrings, comments and
layout: a changed description or reformatting does not count as a change.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import textwrap
from collections.abc import Callable
from typing import Any


def _funktion(obj: Any) -> Callable:
    base = getattr(obj, "base_resolver", None)  # a StrawberryField
    if base is not None:
        obj = base.wrapped_func
    if isinstance(obj, (classmethod, staticmethod)):
        obj = obj.__func__
    obj = getattr(obj, "__func__", obj)
    return inspect.unwrap(obj)


def _trae(fn: Callable) -> str:
    node = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    node.decorator_list = []
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        node.body = body[1:] or [ast.Pass()]
    return ast.dump(node, annotate_fields=False, include_attributes=False)


def fingeraftryk(*kilder: Any) -> str:
    h = hashlib.sha256()
    for kilde in kilder:
        h.update(_trae(_funktion(kilde)).encode())
        h.update(b"\0")
    return h.hexdigest()[:12]
