"""The access log: every entry chained to the one before it, and tampering is found."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry, AppendOnlyError
from vangnet.audit.services import record_access, verify_chain
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import ContactFactory, RegionFactory, make_user

pytestmark = pytest.mark.django_db

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists only on PostgreSQL"
)


def write_entries(count: int) -> list[AccessLogEntry]:
    user = make_user(Role.ADVICE_DESK, username="marieke")
    return [
        record_access(
            user=user, action=AccessLogAction.VIEW, object_type="contacts.contact", object_id=str(i)
        )
        for i in range(1, count + 1)
    ]


def raw_sql(sql: str, params: list) -> None:
    """What someone with direct database access could do, around the application."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Foreign keys are checked at commit; check them now, so the table can be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # A superuser can switch the trigger off; the chain must still give it away.
            cursor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogentry ENABLE TRIGGER USER")


def verify() -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_access_log", stdout=out)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def test_an_intact_log_verifies():
    write_entries(5)

    status, message = verify()

    assert status == 0
    assert "intact: 5 entries checked" in message


def test_an_empty_log_verifies():
    assert verify() == (0, "Access log intact: 0 entries checked.\n")


def test_changing_one_row_in_the_database_is_found_and_named():
    entries = write_entries(6)
    tampered = entries[3]

    raw_sql(
        "UPDATE audit_accesslogentry SET username = %s WHERE id = %s",
        ["iemand-anders", tampered.pk],
    )

    status, message = verify()
    assert status == 1
    assert f"broken at entry #{tampered.sequence}" in message
    assert "content was changed" in message
    assert f"The {tampered.sequence - 1} entries before it are intact" in message


def test_changing_a_row_and_its_hash_without_the_key_is_found():
    entries = write_entries(3)
    second = entries[1]

    # Recomputing a plain SHA-256 is easy; without the HMAC key it does not match.
    raw_sql(
        "UPDATE audit_accesslogentry SET object_id = %s, entry_hash = %s WHERE id = %s",
        ["999", "f" * 64, second.pk],
    )

    status, message = verify()
    assert status == 1
    assert f"broken at entry #{second.sequence}" in message


def test_removing_an_entry_in_the_middle_is_found():
    entries = write_entries(5)

    raw_sql("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[2].pk])

    status, message = verify()
    assert status == 1
    assert f"broken at entry #{entries[2].sequence}" in message
    assert "missing" in message


def test_removing_the_newest_entries_is_found():
    entries = write_entries(4)

    raw_sql("DELETE FROM audit_accesslogentry WHERE sequence >= %s", [entries[2].sequence])

    status, message = verify()
    assert status == 1
    assert (
        f"ends at {entries[1].sequence} but {entries[3].sequence} entries were written" in message
    )


def test_the_application_refuses_to_change_or_delete_entries():
    entry = write_entries(1)[0]

    entry.username = "iemand-anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(username="iemand-anders")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()

    assert AccessLogEntry.objects.get(pk=entry.pk).username == "marieke"
    assert verify()[0] == 0


@only_postgresql
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accesslogentry SET username = 'iemand-anders'",
        "DELETE FROM audit_accesslogentry",
        "TRUNCATE audit_accesslogentry CASCADE",
    ],
)
def test_postgresql_refuses_changes_even_around_the_application(statement: str):
    write_entries(2)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL vangnet.allow_access_log_truncate = off")
        cursor.execute(statement)

    assert list(AccessLogEntry.objects.values_list("username", flat=True)) == ["marieke"] * 2
    assert verify()[0] == 0


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_consecutive_entries_and_an_intact_chain():
    user = make_user(Role.ADVICE_DESK, username="marieke")
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(worker: int) -> None:
        try:
            start.wait()
            for i in range(25):
                record_access(
                    user=user,
                    action=AccessLogAction.VIEW,
                    object_type="contacts.contact",
                    object_id=f"{worker}-{i}",
                )
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(AccessLogEntry.objects.values_list("sequence", flat=True)) == list(range(1, 101))
    assert verify_chain() == (100, None)


def test_privacy_officer_finds_who_opened_a_record(client):
    region = RegionFactory.create()
    advisor = make_user(Role.ADVICE_DESK, username="marieke", region=region)
    contact = ContactFactory.create(region=region)
    login_verified(client, advisor)
    assert client.get(f"/staff/contacts/{contact.pk}/").status_code == 200
    client.logout()

    officer = make_user(Role.PRIVACY_OFFICER, username="fg-anna", region=region)
    login_verified(client, officer)
    response = client.get(
        "/staff/access-log/", {"object_type": "contacts.contact", "object_id": contact.pk}
    )

    assert response.status_code == 200
    rows = [entry for entry in response.context["page_obj"]]
    assert [(row.username, row.action) for row in rows] == [("marieke", AccessLogAction.VIEW)]
    # The search itself is in the log too.
    assert AccessLogEntry.objects.filter(
        username="fg-anna", object_type="audit.accesslogentry"
    ).exists()


def test_privacy_officer_gets_a_clear_message_for_reversed_dates(client):
    login_verified(client, make_user(Role.PRIVACY_OFFICER))

    response = client.get(
        "/staff/access-log/", {"date_from": "2026-11-20", "date_to": "2026-11-01"}
    )

    assert response.status_code == 200
    assert "De begindatum ligt na de einddatum." in response.content.decode()
