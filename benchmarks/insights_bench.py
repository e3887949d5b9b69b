# ruff: noqa: E501, S608  (generation SQL: long literal rows; only constants are formatted in)
"""`make bench`, insights part: the dashboard and the export at national scale.

Generates, on PostgreSQL, a year of national activity — by default 10 million contacts,
2 million reports (with their reporters) and 500,000 chats over the 25 regions, hours
weighted like the seeds' daily pattern — with `INSERT … SELECT generate_series` (fast, no
Python per row), then times the full rollup (`rebuild_insights`), one incremental run after a
day of new contacts, and, through Django's test client as a logged-in team lead: the
national and a regional dashboard (4 weeks and a whole year), the staffing forecast and the
quarterly statistics as CSV and ODS. Prints a table and writes
bench-results/insights-latest.json. Nothing is asserted; figures go to docs/performance.md.

    INSIGHTS_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/vangnet_bench_insights \
        python -m benchmarks.insights_bench [--contacts N] [--reports N] [--chats N]

The database named there is emptied first: never point it at real data.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Weight per hour (0-23) for contacts: quiet at night, busy in office hours.
HOUR_CASE = (
    "CASE WHEN r < 0.02 THEN 2 WHEN r < 0.04 THEN 7 WHEN r < 0.10 THEN 8 WHEN r < 0.20 THEN 9 "
    "WHEN r < 0.31 THEN 10 WHEN r < 0.41 THEN 11 WHEN r < 0.51 THEN 12 WHEN r < 0.60 THEN 13 "
    "WHEN r < 0.70 THEN 14 WHEN r < 0.79 THEN 15 WHEN r < 0.87 THEN 16 WHEN r < 0.92 THEN 17 "
    "WHEN r < 0.96 THEN 19 ELSE 21 END"
)
FORMS = (
    "(ARRAY['partner_violence','witnessing','psychological_abuse','physical_abuse','neglect',"
    "'conflict_divorce','sexual_abuse','elder_abuse'])[1 + floor(random() * 8)::int]"
)


def _configure() -> str:
    url = os.environ.get("INSIGHTS_BENCH_DATABASE_URL") or os.environ.get("BENCH_DATABASE_URL")
    if not url or not url.startswith("postgres"):
        print("insights bench: set INSIGHTS_BENCH_DATABASE_URL to a PostgreSQL database; skipped.")
        sys.exit(0)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
    os.environ.setdefault("VANGNET_ENV", "development")
    import django

    django.setup()
    return url


def _generate(
    contacts: int, reports: int, chats: int, staff_id: int, *, days: int = 365
) -> dict[str, float]:
    from django.db import connection

    timings = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(id) FROM regions_region")
        regions = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO contacts_contact (region_id, channel, asker_type, asker_sector,
                is_anonymous, asker_name, asker_organisation, asker_phone, summary,
                forms_of_violence, advice_given, referral, advised_to_report, participants,
                agreements, received_at, duration_minutes)
            SELECT (%s::bigint[])[1 + (g %% %s)],
                (ARRAY['phone','phone','phone','chat','written','in_person'])[1 + floor(random()*6)::int],
                (ARRAY['professional','bystander','family','victim','child'])[1 + floor(random()*5)::int],
                '', true, '', '', '', 'bench', jsonb_build_array({FORMS}), '',
                CASE WHEN random() < 0.2 THEN 'lokaal team' ELSE '' END, random() < 0.1, '', '',
                date_trunc('day', now() - (random() * make_interval(days => %s)))
                    + make_interval(hours => {HOUR_CASE}, mins => floor(random()*60)::int),
                10 + floor(random() * 20)::int
            FROM (SELECT g, random() AS r FROM generate_series(1, %s) g) s
            """,
            [regions, len(regions), days, contacts],
        )
        timings["generate_contacts_s"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO reports_report (reference, region_id, state, channel, received_at,
                received_by_id, forms_of_violence, concerns, signals, actions_taken, is_acute,
                assessment_due_on, immediate_action, assessment, triage_outcome,
                triage_rationale, investigation_conclusion, transfer_summary,
                transfer_accepted_via, closure_reason, legal_hold, status_token_digest,
                triage_at, closed_at)
            SELECT 'ME-B-' || g, (%s::bigint[])[1 + (g %% %s)], 'closed', 'phone', received,
                %s, jsonb_build_array({FORMS}), 'bench', '', '', false,
                (received + interval '7 days')::date, '', '',
                (ARRAY['local_team','conditions','investigation','no_further_action'])[1 + floor(random()*4)::int],
                '', '', '', '', '', false, '',
                received + (random() * interval '9 days'), received + interval '20 days'
            FROM (SELECT g, date_trunc('day', now() - (random() * interval '365 days'))
                    + make_interval(hours => {HOUR_CASE}) AS received, random() AS r
                  FROM (SELECT g, random() AS r FROM generate_series(1, %s) g) s0) s
            """,
            [regions, len(regions), staff_id, reports],
        )
        cursor.execute(
            """
            INSERT INTO reports_reporter (report_id, is_professional, name, organisation, sector,
                phone, email, anonymous_to_family)
            SELECT id, random() < 0.88, '', '',
                (ARRAY['police','police','police','police','police','education','healthcare','youth_care'])[1 + floor(random()*8)::int],
                '', '', false
            FROM reports_report r WHERE reference LIKE 'ME-B-%%'
                AND NOT EXISTS (SELECT 1 FROM reports_reporter x WHERE x.report_id = r.id)
            """
        )
        timings["generate_reports_s"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO chat_conversation (public_id, region_id, home_region_id, nickname, gender,
                postcode, status, overflowed, last_sequence, created_at, queued_at,
                visitor_connected, is_urgent, language, volunteer_present, accepted_at, ended_at)
            SELECT gen_random_uuid(), reg, reg, '', '', '', 'closed', random() < 0.08, 0, created,
                created, false, false, 'nl', false, created + make_interval(secs => floor(random()*120)::int),
                created + make_interval(mins => 10 + floor(random()*15)::int)
            FROM (SELECT (%s::bigint[])[1 + (g %% %s)] AS reg,
                    date_trunc('day', now() - (random() * interval '365 days'))
                    + make_interval(hours => 9 + floor(random()*8)::int, mins => floor(random()*60)::int) AS created
                  FROM generate_series(1, %s) g) s
            """,
            [regions, len(regions), chats],
        )
        timings["generate_chats_s"] = time.perf_counter() - started
        cursor.execute("ANALYZE")
    return timings


def _timed(count: int, fn: Any) -> dict[str, float]:
    durations = []
    for _ in range(count):
        started = time.perf_counter()
        fn()
        durations.append(time.perf_counter() - started)
    return {
        "runs": count,
        "p50_s": round(statistics.median(durations), 3),
        "max_s": round(max(durations), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=10_000_000)
    parser.add_argument("--reports", type=int, default=2_000_000)
    parser.add_argument("--chats", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the facts of an earlier run; count and time"
    )
    args = parser.parse_args()
    url = _configure()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    call_command("migrate", verbosity=0)
    if not args.reuse:
        with connection.cursor() as cursor:  # the access log refuses TRUNCATE otherwise
            cursor.execute("SET vangnet.allow_access_log_truncate = on")
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_region_data", verbosity=0)

    from vangnet.accounts.models import Role
    from vangnet.insights import rollup
    from vangnet.regions.models import Region
    from vangnet.testing.auth import login_verified
    from vangnet.testing.factories import make_user, national_desk

    desk = national_desk()
    lead = make_user(Role.TEAM_LEAD, region=desk, username=f"bench-lead-{time.time_ns()}")
    results: dict[str, Any] = {"database": url.rsplit("/", 1)[-1]}
    if not args.reuse:
        results.update(_generate(args.contacts, args.reports, args.chats, lead.pk))
    from vangnet.chat.models import Conversation
    from vangnet.contacts.models import Contact
    from vangnet.reports.models import Report

    results["contacts"] = Contact.objects.count()
    results["reports"] = Report.objects.count()
    results["chats"] = Conversation.objects.count()
    started = time.perf_counter()
    built = rollup.rebuild()
    results["rebuild_s"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM insights_tally")
        results["tally_rows"] = cursor.fetchone()[0]
    results["rebuild_days"] = built.days
    _generate(args.contacts // 365, 0, 0, lead.pk, days=1)  # a day's worth of new contacts
    started = time.perf_counter()
    rollup.refresh()
    results["refresh_s"] = round(time.perf_counter() - started, 2)

    client = Client()
    login_verified(client, lead)
    region = Region.objects.filter(is_national_desk=False).order_by("code").first()
    assert region is not None
    from vangnet.accounts.models import Membership

    Membership.objects.create(user=lead, region=region, role=Role.TEAM_LEAD)
    today = timezone.localdate()
    year = f"van={today.replace(year=today.year - 1)}&tot={today}"
    month = ""
    pages = {
        "dashboard_national_4_weeks": f"/staff/insights/landelijk/?{month}",
        "dashboard_national_year": f"/staff/insights/landelijk/?{year}",
        "dashboard_region_year": f"/staff/insights/{region.code}/?{year}",
        "forecast_national": "/staff/insights/landelijk/bezetting/",
        "export_national_csv": "/staff/insights/landelijk/statistiek/?formaat=csv",
        "export_national_ods": "/staff/insights/landelijk/statistiek/?formaat=ods",
    }
    for name, path in pages.items():

        def fetch(path: str = path) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        results[name] = _timed(args.runs, fetch)
    print(json.dumps(results, indent=2))
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "insights-latest.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
