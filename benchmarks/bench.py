"""`make bench`: measure the hot paths of the foundation on this machine.

Runs against its own throw-away database: a temporary SQLite file, or the PostgreSQL
database named in BENCH_DATABASE_URL (which is flushed first — never point it at real
data). Prints a table and writes bench-results/latest.json. Figures are recorded in
docs/performance.md; nothing here is asserted.

    make bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/vangnet_bench make bench
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _configure() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='vangnet-bench-')}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
    os.environ.setdefault("VANGNET_ENV", "development")
    import django

    django.setup()
    return url


def _timed(count: int, fn: Callable[[int], Any]) -> dict[str, float]:
    durations = []
    start = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        fn(i)
        durations.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    durations.sort()
    return {
        "count": count,
        "per_second": round(count / total, 1),
        "p50_ms": round(statistics.median(durations) * 1000, 3),
        "p95_ms": round(durations[int(count * 0.95) - 1] * 1000, 3),
        "p99_ms": round(durations[int(count * 0.99) - 1] * 1000, 3),
    }


def main() -> int:
    url = _configure()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the access log refuses TRUNCATE otherwise
            cursor.execute("SET vangnet.allow_access_log_truncate = on")
        call_command("flush", interactive=False, verbosity=0)
    call_command("load_region_data", verbosity=0)

    from vangnet.accounts.models import Role
    from vangnet.audit.models import AccessLogAction
    from vangnet.audit.services import record_access, verify_chain
    from vangnet.regions.models import Postcode, Region
    from vangnet.testing.auth import login_verified
    from vangnet.testing.factories import ContactFactory, make_user

    results: dict[str, Any] = {"database": connection.vendor, "python": sys.version.split()[0]}
    postcodes = list(Postcode.objects.values_list("code", flat=True))
    anonymous = Client()
    results["route_postcode_api"] = _timed(
        2000,
        lambda i: anonymous.get(
            "/api/v1/regions/route", {"postcode": postcodes[i % len(postcodes)]}
        ),
    )

    region = Region.objects.get(code="VT09")
    user = make_user(Role.ADVICE_DESK, region=region, username="bench")
    results["access_log_append"] = _timed(
        2000,
        lambda i: record_access(
            user=user, action=AccessLogAction.VIEW, object_type="bench.item", object_id=str(i)
        ),
    )
    t0 = time.perf_counter()
    checked, broken = verify_chain()
    elapsed = time.perf_counter() - t0
    results["access_log_verify"] = {
        "entries": checked,
        "intact": broken is None,
        "per_second": round(checked / elapsed, 1),
    }

    ContactFactory.create_batch(60, region=region)
    staff = login_verified(Client(), user)
    results["contact_register_page"] = _timed(300, lambda i: staff.get("/staff/contacts/"))
    results["workspace_home_page"] = _timed(300, lambda i: staff.get("/staff/"))

    print(f"Vangnet benchmark — database {results['database']} ({url.split('://')[0]})")
    print(f"{'what':<26}{'count':>8}{'per s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for name, row in results.items():
        if isinstance(row, dict) and "p50_ms" in row:
            print(
                f"{name:<26}{row['count']:>8}{row['per_second']:>10}"
                f"{row['p50_ms']:>10}{row['p95_ms']:>10}{row['p99_ms']:>10}"
            )
    verify = results["access_log_verify"]
    print(
        f"access_log_verify: {verify['entries']} entries, {verify['per_second']}/s, "
        f"intact={verify['intact']}"
    )
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
