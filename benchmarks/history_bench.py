# ruff: noqa: E501, S608, SIM905  (generation SQL: long literal rows; only constants are formatted in)
"""`make bench`, history and pages part: earlier history and the registers with years of data.

Creates a PostgreSQL database of its own (`vangnet_bench_history_<pid>`) on the server in
HISTORY_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432), generates with
`INSERT … SELECT generate_series` (no Python per row) — by default 400,000 reports with
1,000,000 persons, 150,000 named advice dossiers with 300,000 persons, one region holding
100,000 of those reports (5,000 of them open) and 100,000 contacts — and times, through
Django's test client as that region's team lead: earlier history (the selector), the report
page, the reports and contacts registers (first, a deep and the last page), the deadlines
overview, and the first and last page of the other lists that grow (the dossier search, a
school's meldcode overview, user management; `--professionals`, `--meldcode-records`). Families come back: a tenth of the reports is about a household seen before, and
dossiers share households with reports, so earlier history finds something.

With `--compare` (the default) it also times earlier history without the expression indexes
of ADR 0030 and the register's last page the old way (COUNT and OFFSET), for the record.
The database is dropped afterwards. Nothing is asserted; figures go to docs/performance.md.

    python -m benchmarks.history_bench [--reports N] [--persons N] [--dossiers N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

FIRST_NAMES = (
    "Sem Noah Liam Lucas Levi Finn Daan Luuk Milan Bram Jesse Thijs Mees Sam Adam Julian Teun "
    "Ruben Max Gijs Emma Julia Mila Tess Sophie Zoë Sara Nora Yara Eva Liv Lotte Evi Noor Anna "
    "Lisa Fenna Saar Lieke Fleur Mohammed Ayoub Amir Yusuf Ibrahim Fatima Aya Malak Ilham Hiba "
    "Peter Jan Kees Henk Wim Marieke Annemiek Ingrid Petra Monique Sandra Mark Dennis Erik "
    "Bas Joost Rik Wouter Femke Maud Iris Roos Isa Hanna Jasmijn Kiki Lara Vera Elif Zeynep"
).split()
LAST_NAMES = (
    "Jansen de_Vries van_den_Berg van_Dijk Bakker Janssen Visser Smit Meijer de_Boer Mulder "
    "de_Groot Bos Vos Peters Hendriks van_Leeuwen Dekker Brouwer de_Wit Dijkstra Smits de_Graaf "
    "van_der_Meer van_der_Linden Kok Jacobs de_Haan Vermeulen van_den_Heuvel van_der_Veen "
    "van_den_Broek de_Bruijn de_Jong van_der_Heijden Schouten van_Beek Willems van_Vliet "
    "van_de_Ven Hoekstra Maas Verhoeven Koster van_Dam van_der_Wal Prins Blom Huisman Peeters "
    "de_Jonge Kuipers van_Veen Post Kuiper Veenstra Kramer van_den_Brink Scholten van_Wijk "
    "Postma Martens Vink de_Ruiter Timmermans Groen Gerritsen Jonker van_Loon Boer van_der_Velde "
    "Willemsen Smeets de_Lange de_Vos Bosch van_Dongen Schipper de_Koning van_der_Laan Koning "
    "van_der_Velden Driessen van_Doorn Hermans Evers van_den_Bosch van_der_Meulen Hofman "
    "Bosman Wolters Sanders van_der_Horst Mol Kuijpers Molenaar van_de_Pol de_Leeuw Verbeek "
    "Yilmaz Kaya Demir Sahin Celik El_Amrani Bouzid Ait_Ali Benali El_Idrissi Nguyen Tran"
).split()
STREETS = (
    "Lindelaan Dorpsstraat Kerkstraat Schoolstraat Molenweg Stationsweg Julianastraat "
    "Beatrixlaan Wilhelminastraat Nieuwstraat Kastanjelaan Eikenlaan Beukenlaan Berkenlaan "
    "Prinses_Irenestraat Oranjestraat Sportlaan Parkweg Vondelstraat Rembrandtlaan Emmastraat "
    "Hoofdstraat Veldweg Industrieweg Marktstraat Kanaalweg Tulpstraat Rozenstraat Sluisweg"
).split()
CITIES = (
    "Utrecht Amersfoort Zwolle Groningen Leeuwarden Assen Arnhem Nijmegen Tilburg Breda Eindhoven "
    "Maastricht Venlo Haarlem Alkmaar Leiden Delft Dordrecht Middelburg Almere Lelystad Enschede "
    "Hengelo Apeldoorn Deventer"
).split()


def _sql_array(words: tuple[str, ...] | list[str]) -> str:
    return "ARRAY[" + ",".join("'" + w.replace("_", " ") + "'" for w in words) + "]"


def _server() -> str:
    return os.environ.get("HISTORY_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip(
        "/"
    )


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{_server()}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _configure(database: str) -> None:
    os.environ["DATABASE_URL"] = f"{_server()}/{database}"
    os.environ.setdefault("DATABASE_POOL", "true")  # as in production (ADR 0030)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
    os.environ.setdefault("VANGNET_ENV", "development")
    import django

    django.setup()


# A household (the persons of one report) is numbered; reports past REPEAT of the households
# are about a household seen before (the same names, dates of birth and address).
def _person_columns(household: str, k: str) -> str:
    first, last = _sql_array(FIRST_NAMES), _sql_array(LAST_NAMES)
    streets, cities = _sql_array(STREETS), _sql_array(CITIES)
    return f"""
        ({first})[1 + (({household}) * 7 + ({k}) * 13) % {len(FIRST_NAMES)}] || ' ' ||
            ({last})[1 + (({household}) * 31) % {len(LAST_NAMES)}],
        date '1950-01-01' + ((({household}) * 7919 + ({k}) * 104729) % 25000)::int,
        ({streets})[1 + ({household}) % {len(STREETS)}] || ' ' ||
            (1 + (({household}) / {len(STREETS)}) % 400) || ', ' ||
            ({cities})[1 + (({household}) / 12000) % {len(CITIES)}]
    """


def _generate(args: argparse.Namespace, *, region_id: int, staff_id: int) -> dict[str, float]:
    from django.db import connection

    timings: dict[str, float] = {}
    households = max(1, int(args.reports * 0.9))
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(id) FROM regions_region WHERE id <> %s", [region_id])
        others = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO reports_report (reference, region_id, state, channel, received_at,
                received_by_id, forms_of_violence, concerns, signals, actions_taken, is_acute,
                urgency_due_at, assessment_due_on, investigation_due_on, immediate_action,
                assessment, triage_outcome, triage_rationale, investigation_conclusion,
                transfer_summary, transfer_accepted_via, closure_reason, legal_hold,
                status_token_digest)
            SELECT 'ME-H-' || g,
                CASE WHEN g <= %(in_region)s THEN %(region)s ELSE (%(others)s::bigint[])[1 + g %% %(n_others)s] END,
                st, 'phone', received, %(staff)s, '["physical_abuse"]'::jsonb, 'bench', '', '',
                acute, CASE WHEN acute THEN received + interval '24 hours' END,
                (received + interval '7 days')::date,
                CASE WHEN st = 'investigating' THEN (received + interval '70 days')::date END,
                '', '', '', '', '', '', '', '', false, ''
            FROM (
                SELECT g,
                    CASE WHEN g <= %(open)s
                        THEN (ARRAY['received','safety_assessed','triage_proposed','investigating','triaged'])[1 + g %% 5]
                        ELSE 'closed' END AS st,
                    g <= %(open)s AND g %% 50 = 0 AS acute,
                    CASE WHEN g <= %(open)s THEN now() - random() * interval '30 days'
                        ELSE now() - random() * interval '3650 days' END AS received
                FROM generate_series(1, %(reports)s) g
            ) s
            """,
            {
                "in_region": args.region_reports,
                "region": region_id,
                "others": others,
                "n_others": len(others),
                "staff": staff_id,
                "open": args.open,
                "reports": args.reports,
            },
        )
        cursor.execute("SELECT min(id) FROM reports_report WHERE reference LIKE 'ME-H-%%'")
        first_report = cursor.fetchone()[0]
        timings["generate_reports_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        # Person p belongs to report (p-1) % reports, as its ((p-1) / reports)-th person.
        household = f"(((p - 1) % {args.reports}) % {households})"
        k = f"((p - 1) / {args.reports})"
        cursor.execute(
            f"""
            INSERT INTO reports_reportperson (report_id, role, name, date_of_birth, address,
                bsn, bsn_hash, is_victim, is_alleged_perpetrator)
            SELECT {first_report} + (p - 1) % {args.reports},
                CASE WHEN {k} = 0 THEN 'child' WHEN {k} = 1 THEN 'parent' ELSE 'other' END,
                {_person_columns(household, k)},
                '', CASE WHEN {k} = 0 THEN md5('bsn' || {household}) || md5('nsb' || {household}) ELSE '' END,
                {k} = 0, {k} = 1
            FROM generate_series(1::bigint, {args.persons}) p
            """
        )
        timings["generate_report_persons_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        cursor.execute(
            f"""
            INSERT INTO contacts_advicedossier (reference, region_id, is_anonymous, title, opened_at)
            SELECT 'AD-H-' || g, (%(regions)s::bigint[])[1 + g %% %(n)s], false, '',
                now() - random() * interval '3650 days'
            FROM generate_series(1, {args.dossiers}) g
            """,
            {"regions": [*others, region_id], "n": len(others) + 1},
        )
        cursor.execute("SELECT min(id) FROM contacts_advicedossier WHERE reference LIKE 'AD-H-%%'")
        first_dossier = cursor.fetchone()[0]
        # Dossier households overlap the reports' households (every third one).
        household = f"((((p - 1) % {args.dossiers}) * 3) % {households})"
        k = f"((p - 1) / {args.dossiers})"
        cursor.execute(
            f"""
            INSERT INTO contacts_dossierperson (dossier_id, relation, name, date_of_birth,
                address, added_at)
            SELECT {first_dossier} + (p - 1) % {args.dossiers},
                CASE WHEN {k} = 0 THEN 'child' ELSE 'parent' END,
                {_person_columns(household, k)}, now()
            FROM generate_series(1::bigint, {args.dossier_persons}) p
            """
        )
        timings["generate_dossiers_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO contacts_contact (region_id, channel, asker_type, asker_sector,
                is_anonymous, asker_name, asker_organisation, asker_phone, summary,
                forms_of_violence, advice_given, referral, advised_to_report, participants,
                agreements, received_at, duration_minutes)
            SELECT %s, 'phone', 'bystander', '', true, '', '', '', 'bench', '[]'::jsonb, '', '',
                false, '', '', now() - random() * interval '3650 days', 15
            FROM generate_series(1, %s) g
            """,
            [region_id, args.contacts],
        )
        timings["generate_contacts_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        _generate_lists(cursor, args, region_id=region_id, first_dossier=first_dossier)
        timings["generate_lists_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        timings["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
    return timings


def _generate_lists(
    cursor: Any, args: argparse.Namespace, *, region_id: int, first_dossier: int
) -> None:
    """The other lists that grow with the years, in the bench region: a third of the dossiers
    moved there and owned by one advice worker (the dossier search by employee), partner
    professionals of one organisation (user management) and their meldcode records (the
    contact person's overview)."""
    from vangnet.accounts.models import Role
    from vangnet.regions.models import PartnerOrganisation, Region
    from vangnet.testing.factories import make_user

    region = Region.objects.get(pk=region_id)
    worker = make_user(Role.ADVICE_DESK, region=region, username="bench-advice")
    cursor.execute(
        "UPDATE contacts_advicedossier SET region_id = %s, owner_id = %s "
        "WHERE reference LIKE 'AD-H-%%' AND (id - %s) %% 3 = 0",
        [region_id, worker.pk, first_dossier],
    )
    organisation = PartnerOrganisation.objects.create(
        name="Bench school", kind="school", region_id=region_id
    )
    first, last = _sql_array(FIRST_NAMES), _sql_array(LAST_NAMES)
    cursor.execute(
        f"""
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
            email, is_staff, is_active, date_joined, security_stamp, phone_number,
            organisation_id)
        SELECT '!', false, 'bench-pro-' || g,
            ({first})[1 + (g * 7) %% {len(FIRST_NAMES)}],
            ({last})[1 + (g * 31) %% {len(LAST_NAMES)}],
            '', false, true, now(), md5('u' || g)::uuid, '', %s
        FROM generate_series(1, %s) g
        """,
        [organisation.pk, args.professionals],
    )
    cursor.execute(
        "INSERT INTO accounts_membership (role, region_id, user_id) "
        "SELECT %s, %s, id FROM accounts_user WHERE username LIKE 'bench-pro-%%'",
        [Role.PROFESSIONAL, region_id],
    )
    cursor.execute(
        """
        INSERT INTO meldcode_meldcoderecord (reference, sector, pseudonym, concern,
            forms_of_violence, status, opened_at, updated_at, decision, decision_reasoning,
            help_plan, prescribed_outcome, parents_informed, report_channel, report_reference,
            report_status_url, organisation_id, professional_id, region_id)
        SELECT 'MC-H-' || g, 'education', 'Kind ' || g, 'bench', '[]'::jsonb, 'open',
            t, t, '', '', '', '', '', '', '', '', %(org)s, p.id, %(region)s
        FROM generate_series(1, %(records)s) g
        CROSS JOIN LATERAL (SELECT now() - random() * interval '3650 days' AS t) m
        JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM accounts_user
              WHERE username LIKE 'bench-pro-%%') p ON p.n = 1 + g %% %(pros)s
        """,
        {
            "org": organisation.pk,
            "region": region_id,
            "records": args.meldcode_records,
            "pros": args.professionals,
        },
    )


def _timed(runs: int, fn: Callable[[], Any]) -> dict[str, float]:
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        durations.append(time.perf_counter() - started)
    durations.sort()
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(durations) * 1000, 1),
        "p95_ms": round(durations[max(0, int(runs * 0.95) - 1)] * 1000, 1),
        "max_ms": round(durations[-1] * 1000, 1),
    }


def _sample_reports(region: Any, count: int) -> list[Any]:
    """Reports taken in through the intake service about households already known."""
    from vangnet.reports.models import ReportPerson
    from vangnet.reports.services import PersonDetails
    from vangnet.testing.reports import a_report, intake_user

    by = intake_user(region)
    known = list(
        ReportPerson.objects.filter(role="child").order_by("?").values("report_id")[:count]
    )
    reports = []
    for row in known:
        persons = [
            PersonDetails(
                role=p.role,
                name=p.name,
                date_of_birth=p.date_of_birth,
                address=p.address,
                is_victim=p.is_victim,
                is_alleged_perpetrator=p.is_alleged_perpetrator,
            )
            for p in ReportPerson.objects.filter(report_id=row["report_id"])
        ]
        reports.append(a_report(region, by=by, persons=persons).report)
    return reports


def _cycle(items: list[Any]) -> Callable[[], Any]:
    position = {"i": 0}

    def next_item() -> Any:
        item = items[position["i"] % len(items)]
        position["i"] += 1
        return item

    return next_item


HISTORY_INDEXES = (
    ("reports", "ReportPerson", "reportperson_name_dob_idx"),
    ("reports", "ReportPerson", "reportperson_address_idx"),
    ("contacts", "DossierPerson", "dossierperson_name_dob_idx"),
    ("contacts", "DossierPerson", "dossierperson_address_idx"),
)


def _without_history_indexes(measure: Callable[[], dict[str, float]]) -> dict[str, float]:
    """`measure` with the expression indexes dropped (as before ADR 0030), then put back."""
    from django.apps import apps
    from django.db import connection

    indexes = []
    for app, model_name, name in HISTORY_INDEXES:
        model = apps.get_model(app, model_name)
        index = next(i for i in model._meta.indexes if i.name == name)
        indexes.append((model, index))
    with connection.schema_editor() as editor:
        for model, index in indexes:
            editor.remove_index(model, index)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_reportperson")
        cursor.execute("ANALYZE contacts_dossierperson")
    try:
        return measure()
    finally:
        with connection.schema_editor() as editor:
            for model, index in indexes:
                editor.add_index(model, index)
        with connection.cursor() as cursor:  # statistics of the expression indexes again
            cursor.execute("ANALYZE reports_reportperson")
            cursor.execute("ANALYZE contacts_dossierperson")


def _old_register_last_page(region: Any) -> Callable[[], None]:
    """The register's last page as it was read before ADR 0030: COUNT, then OFFSET."""
    from django.core.paginator import Paginator

    from vangnet.reports.models import Report

    def read() -> None:
        queryset = Report.objects.filter(region=region).select_related("owner", "transferred_to")
        paginator = Paginator(queryset, 25)
        list(paginator.page(paginator.num_pages).object_list)

    return read


def _measure(args: argparse.Namespace, results: dict[str, Any]) -> None:
    from django.test import Client

    from vangnet.accounts.models import Role
    from vangnet.regions.models import Region
    from vangnet.reports.selectors import _find_earlier_history
    from vangnet.testing.auth import login_verified
    from vangnet.testing.factories import make_user

    region = Region.objects.get(pk=results["region_id"])
    samples = _sample_reports(region, args.samples)
    results["history_matches_per_report"] = round(
        statistics.mean(len(_find_earlier_history(r)) for r in samples), 1
    )
    lead = make_user(Role.TEAM_LEAD, region=region, username=f"bench-lead-{time.time_ns()}")
    client = login_verified(Client(), lead)

    def page(path_of: Callable[[], str]) -> Callable[[], None]:
        def fetch() -> None:
            path = path_of()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return fetch

    def deep_cursor(path: str, steps: int) -> str:
        """The address `steps` pages into a register, by following its 'Volgende' links."""
        from vangnet.pagination import NEWEST_FIRST, encode_cursor
        from vangnet.reports.models import Report

        row = (
            Report.objects.filter(region=region)
            .order_by("-received_at", "-id")
            .values_list("received_at", "id")[steps * 25]
        )
        assert [k.name for k in NEWEST_FIRST] == ["received_at", "id"]
        return f"{path}?after=" + encode_cursor(list(row))

    next_sample = _cycle(samples)
    runs = args.runs
    # What any logged-in page costs on this machine now (session, two-factor check, region,
    # layout) — the part of every figure below that does not depend on the data.
    results["baseline_workspace_home"] = _timed(runs, page(lambda: "/staff/"))
    results["earlier_history"] = _timed(runs, lambda: _find_earlier_history(next_sample()))
    results["report_page"] = _timed(runs, page(lambda: f"/staff/reports/{next_sample().pk}/"))
    results["reports_register_first"] = _timed(runs, page(lambda: "/staff/reports/"))
    middle = deep_cursor("/staff/reports/", args.region_reports // 50)
    results["reports_register_middle"] = _timed(runs, page(lambda: middle))
    results["reports_register_last"] = _timed(runs, page(lambda: "/staff/reports/?last=1"))
    results["reports_register_open_last"] = _timed(
        runs, page(lambda: "/staff/reports/?state=received&last=1")
    )
    results["contacts_register_first"] = _timed(runs, page(lambda: "/staff/contacts/"))
    results["contacts_register_last"] = _timed(runs, page(lambda: "/staff/contacts/?last=1"))
    results["deadlines_overview_first"] = _timed(runs, page(lambda: "/staff/reports/deadlines/"))
    results["deadlines_overview_last"] = _timed(
        runs, page(lambda: "/staff/reports/deadlines/?last=1")
    )
    _measure_lists(args, results, region)
    if args.compare:
        few = max(3, runs // 4)
        results["before_earlier_history_without_indexes"] = _without_history_indexes(
            lambda: _timed(few, lambda: _find_earlier_history(next_sample()))
        )
        results["before_reports_register_last_offset"] = _timed(
            few, _old_register_last_page(region)
        )


def _measure_lists(
    args: argparse.Namespace,
    results: dict[str, Any],
    region: Any,
) -> None:
    """First and last page of the other lists that grow: the dossier search (by employee),
    the meldcode overview of a contact person, user management."""
    from django.test import Client

    from vangnet.accounts.models import Role, User
    from vangnet.testing.auth import login_verified
    from vangnet.testing.factories import make_user

    runs = args.runs
    stamp = time.time_ns()
    worker = User.objects.get(username="bench-advice")
    desk = login_verified(
        Client(), make_user(Role.ADVICE_DESK, region=region, username=f"bench-desk-{stamp}")
    )

    def search(extra: dict[str, str]) -> Callable[[], None]:
        def post() -> None:
            response = desk.post("/staff/contacts/search/", {"employee": str(worker.pk), **extra})
            assert response.status_code == 200, response.status_code

        return post

    results["dossier_search_first"] = _timed(runs, search({}))
    results["dossier_search_last"] = _timed(runs, search({"last": "1"}))
    contact_person = make_user(
        Role.MELDCODE_CONTACT_PERSON, region=region, username=f"bench-contact-{stamp}"
    )
    contact_person.organisation_id = User.objects.filter(username="bench-pro-1").values_list(
        "organisation_id", flat=True
    )[0]
    contact_person.save(update_fields=["organisation"])
    professional = login_verified(Client(), contact_person)

    def partner(path: str) -> Callable[[], None]:
        def fetch() -> None:
            response = professional.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return fetch

    results["meldcode_overview_first"] = _timed(runs, partner("/partner/meldcode/"))
    results["meldcode_overview_last"] = _timed(runs, partner("/partner/meldcode/?last=1"))
    admin = login_verified(
        Client(), make_user(Role.FUNCTIONAL_ADMIN, region=region, username=f"bench-admin-{stamp}")
    )

    def users(path: str) -> Callable[[], None]:
        def fetch() -> None:
            response = admin.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return fetch

    results["user_management_first"] = _timed(runs, users("/accounts/users/"))
    results["user_management_last"] = _timed(runs, users("/accounts/users/?last=1"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=400_000)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--dossiers", type=int, default=150_000)
    parser.add_argument("--dossier-persons", type=int, default=300_000)
    parser.add_argument("--region-reports", type=int, default=100_000)
    parser.add_argument("--open", type=int, default=5_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--professionals", type=int, default=10_000)
    parser.add_argument("--meldcode-records", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--no-compare", dest="compare", action="store_false")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    try:
        import psycopg

        psycopg.connect(f"{_server()}/postgres", connect_timeout=3).close()
    except Exception as exc:  # no server: this part of the bench is skipped, not failed
        print(f"history bench: no PostgreSQL at {_server()} ({type(exc).__name__}); skipped.")
        return 0
    database = f"vangnet_bench_history_{os.getpid()}"
    _admin(f"CREATE DATABASE {database}")
    try:
        _configure(database)
        results = _run(args, database)
    finally:
        from django.db import connections

        for conn in connections.all():
            conn.close()
            if hasattr(conn, "close_pool"):
                conn.close_pool()
        if not args.keep:
            _admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    print(json.dumps(results, indent=2))
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "history-latest.json").write_text(json.dumps(results, indent=2))
    return 0


def _run(args: argparse.Namespace, database: str) -> dict[str, Any]:
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_region_data", verbosity=0)
    from vangnet.accounts.models import Role
    from vangnet.regions.models import Region
    from vangnet.testing.factories import make_user

    region = Region.objects.filter(is_national_desk=False).order_by("code").first()
    assert region is not None
    staff = make_user(Role.TRIAGE, region=region, username="bench-intake")
    results: dict[str, Any] = {
        "database": database,
        "reports": args.reports,
        "report_persons": args.persons,
        "dossiers": args.dossiers,
        "dossier_persons": args.dossier_persons,
        "region_reports": args.region_reports,
        "open_reports_in_region": args.open,
        "contacts_in_region": args.contacts,
        "professionals_in_region": args.professionals,
        "meldcode_records_of_one_organisation": args.meldcode_records,
        "region_id": region.pk,
        "migrate_s": round(time.perf_counter() - started, 1),
    }
    results.update(_generate(args, region_id=region.pk, staff_id=staff.pk))
    print(json.dumps(results, indent=2), flush=True)
    _measure(args, results)
    return results


if __name__ == "__main__":
    sys.exit(main())
