"""Nothing that looks like a CPR number leaves the process in a log line, metric label or span."""

from __future__ import annotations

import re

# Ten digits, optionally as DDMMYY-SSSS, not part of a longer number.
CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


def redact(value: str) -> str:
    return CPR_LIKE.sub("**********", value)
