"""Nothing that looks like a CPR number leaves the process in a log line, metric label or span."""

from __future__ import annotations

import logging
import re

# Ten digits, optionally as DDMMYY-SSSS, not part of a longer number.
CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


def redact(value: str) -> str:
    return CPR_LIKE.sub("**********", value)


class RedactCpr(logging.Filter):
    """Masks CPR-like numbers in a record's message and traceback before any handler sees it.

    strawberry logs every GraphQL error with the request's document excerpt (an inline
    ``borger(cpr: "…")`` included), and a database error's detail can quote a key."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FORMATTER = logging.Formatter()
# A filter on a logger sees only records logged on that very logger, so each is named.
LOGGERS = (
    "strawberry", "strawberry.execution", "strawberry.ws", "dfdg", "dfdg.app", "dfdg.db.embedded", "dfdg.fejl",
    "dfdg.request", "dfdg.notify", "dfdg.persisted", "dfdg.plan", "dfdg.tracing", "uvicorn", "uvicorn.error",
    "uvicorn.access",
)
_FILTER = RedactCpr()


def install_log_redaction() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
