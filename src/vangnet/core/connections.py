"""Database connections of the threads that serve one request each.

Under ASGI, Django runs a request's synchronous code (middleware, views) in a thread made for
that request (asgiref's `ThreadSensitiveContext`), which ends with it. A connection kept for
`CONN_MAX_AGE` in such a thread never serves another request: it stays open, holding a file
handle and (SQLite) its page cache, until the garbage collector breaks the connection
wrapper's reference cycles and closes it. At 1,000 conversations on the embedded default that
was a dozen and more connections open at any time and the process growing by megabytes a
minute; on PostgreSQL without the pool (`DATABASE_CONN_MAX_AGE`) it was what used up the
server's connections (Issue 15). Only the sockets' database thread, which lives as long as
the process, keeps its connection.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import SyncToAsync
from django.db import connections


def close_request_thread_connections(**kwargs: Any) -> None:
    """Receiver of `request_finished`: close the connections of a request's own thread.

    Elsewhere — the test client, which serves requests in the test's thread and its
    transaction, or a management command — there is no such context and nothing is closed."""
    if SyncToAsync.thread_sensitive_context.get(None) is None:
        return
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
