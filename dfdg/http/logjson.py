"""Every log line on standard error is one JSON object (``dfdg serve``, ``dfdg workers`` and the
``dfdg.http.asgi:from_env`` factory under uvicorn).

A line has ``ts`` (UTC, milliseconds), ``level``, ``logger`` and ``message``, the record's extra
fields (an internal error's ``fejl_id``), and for an exception its ``traceback`` as one string
field. Every string in the line, the traceback included, has its CPR-like numbers masked
(``dfdg.http.redact``), whatever logger wrote it: a database error's detail can quote a key, an
exception's message a citizen's number. The request log's own lines (``dfdg.http.reqlog``, either
sink) carry the same ``ts``, ``level`` and ``logger``, so one parser reads the whole stream.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import orjson

from dfdg.http.redact import redact

# What every LogRecord carries; anything else on a record was given as ``extra`` and is written out.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName",
    "color_message",  # uvicorn's coloured copy of the message
}
_UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access")


def _maskeret(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): _maskeret(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_maskeret(v) for v in value]
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        linje = getattr(record, "dfdg", None)
        if isinstance(linje, dict):  # a request-log line (dfdg.http.reqlog), already masked field by field
            return orjson.dumps(linje).decode()
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in data and not key.startswith("_"):
                data[key] = _maskeret(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["traceback"] = redact(record.exc_text)
        if record.stack_info:
            data["stack"] = redact(self.formatStack(record.stack_info))
        return orjson.dumps(data).decode()


def er_konfigureret() -> bool:
    return any(isinstance(h.formatter, JsonFormatter) for h in logging.getLogger().handlers)


def configure(level: int = logging.INFO) -> None:
    """JSON lines on standard error for the root logger, uvicorn's loggers routed there, Python's
    warnings too. Idempotent."""
    root = logging.getLogger()
    if not er_konfigureret():
        for handler in list(root.handlers):
            root.removeHandler(handler)
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level)
    for name in _UVICORN:
        logger = logging.getLogger(name)
        # uvicorn's access log is off when its logger has no handler (--no-access-log): kept off.
        if name == "uvicorn.access" and not logger.handlers:
            continue
        logger.handlers.clear()
        logger.propagate = True
    logging.captureWarnings(True)


# ``log_config`` for uvicorn.run (``dfdg workers``): the same, in uvicorn's parent process and in
# every worker, before uvicorn logs its first line.
UVICORN_LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "dfdg.http.logjson.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        "uvicorn": {"handlers": [], "level": "INFO", "propagate": True},
        "uvicorn.error": {"handlers": [], "level": "INFO", "propagate": True},
        "uvicorn.access": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
