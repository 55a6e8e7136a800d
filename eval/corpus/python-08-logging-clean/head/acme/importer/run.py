"""Run an import."""
import logging

log = logging.getLogger(__name__)


def run(rows, sink):
    """Write every row to sink and return how many were written."""
    imported = 0
    for row in rows:
        sink.write(row)
        imported += 1
    log.info("imported %d rows", imported)
    return imported
