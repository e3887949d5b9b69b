"""The web process on the embedded default loads no library it only needs now and then.

Every web process holds what it imports for its whole life; at 1,000 conversations a process
must stay within 200 MB (Issue 15, docs/performance.md). fpdf2 (with fontTools and Pillow,
about 16 MB) is loaded when a document is first made, the Redis client (4 to 8 MB) only
where Redis is configured."""

from __future__ import annotations

import json
import os
import subprocess
import sys

LOADED = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "vangnet.settings"
import vangnet.asgi
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _top_level_modules_of_a_fresh_web_process() -> set[str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(  # noqa: S603  (this interpreter, our own fixed code)
        [sys.executable, "-c", LOADED],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_embedded_web_process_loads_neither_the_pdf_library_nor_the_redis_client():
    loaded = _top_level_modules_of_a_fresh_web_process()
    assert "channels" in loaded  # the sockets' stack was loaded: the check means something
    assert "fpdf" not in loaded
    assert "fontTools" not in loaded
    assert "redis" not in loaded


def test_a_document_is_still_made_when_asked_for():
    from vangnet.core.pdf import Document, Section, render

    pdf = render(Document(title="Overdrachtsdocument", sections=[Section("Feiten", ["Één."])]))
    assert pdf.startswith(b"%PDF")
    assert b"Overdrachtsdocument" in pdf
