"""Logging set-up for the CLI and the server: JSON lines for log shippers, or plain text for a terminal.

``SMARTOFFICE_LOG_FORMAT=json`` (the docker-compose default) writes one JSON object per record with the time,
level, logger and message, plus any ``extra={...}`` fields; ``text`` (the default) writes readable lines.
"""

import logging

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                timestamp=False,
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
