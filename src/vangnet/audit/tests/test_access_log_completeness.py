"""The access log answers "who saw this record?" exactly, for any page size, and a privacy
officer reads only the entries of their own regions (issue 12, holes 2 and 6)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry, AccessLogRecord, AppendOnlyError
from vangnet.audit.services import record_access, verify_chain
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    ContactFactory,
    RegionFactory,
    add_membership,
    make_user,
    national_desk,
)

pytestmark = pytest.mark.django_db


def search(client, **filters):
    response = client.get("/staff/access-log/", filters)
    assert response.status_code == 200
    return list(response.context["page_obj"])


def test_a_list_of_three_hundred_records_keeps_every_id():
    region = RegionFactory.create()
    advisor = make_user(Role.ADVICE_DESK, region=region)
    contacts = ContactFactory.create_batch(300, region=region)

    entry = record_access(user=advisor, action=AccessLogAction.VIEW, objects=contacts)

    logged = set(entry.records.values_list("object_id", flat=True))
    assert logged == {str(c.pk) for c in contacts}
    assert entry.record_regions == region.code
    assert verify_chain() == (1, None)


def test_privacy_officer_finds_the_last_record_of_a_long_list_and_only_exact_ids(client):
    region = RegionFactory.create()
    advisor = make_user(Role.ADVICE_DESK, region=region, username="marieke")
    contacts = ContactFactory.create_batch(120, region=region)
    record_access(user=advisor, action=AccessLogAction.VIEW, objects=contacts)
    officer = make_user(Role.PRIVACY_OFFICER, region=region)
    login_verified(client, officer)

    found = search(client, object_type="contacts.contact", object_id=contacts[-1].pk)
    assert [e.username for e in found] == ["marieke"]

    # An id that is only a part of logged ids (1 in 11, 112 …) matches nothing.
    unknown = str(max(c.pk for c in contacts) * 10 + 7)
    assert search(client, object_type="contacts.contact", object_id=unknown[:-1] + "9") == []


def test_earlier_history_of_mixed_kinds_is_found_by_each_record():
    region = RegionFactory.create()
    user = make_user(Role.TRIAGE, region=region)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        object_type="reports.history",
        records=[("reports.report", "7"), ("contacts.advicedossier", "7")],
    )

    kinds = set(AccessLogRecord.objects.values_list("object_type", flat=True))
    assert kinds == {"reports.report", "contacts.advicedossier"}
    assert verify_chain() == (1, None)


def test_changing_a_record_row_breaks_the_chain():
    region = RegionFactory.create()
    user = make_user(Role.ADVICE_DESK, region=region)
    entry = record_access(
        user=user,
        action=AccessLogAction.VIEW,
        objects=ContactFactory.create_batch(3, region=region),
    )
    row = entry.records.get(object_id=entry.records.values_list("object_id", flat=True)[0])

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_accesslogrecord DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE audit_accesslogrecord SET object_id = '999999' WHERE id = %s", [row.pk]
        )
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslogrecord ENABLE TRIGGER USER")

    checked, broken = verify_chain()
    assert checked == 0
    assert broken is not None and broken.sequence == entry.sequence


def test_the_application_refuses_to_change_record_rows():
    region = RegionFactory.create()
    user = make_user(Role.ADVICE_DESK, region=region)
    entry = record_access(
        user=user,
        action=AccessLogAction.VIEW,
        objects=ContactFactory.create_batch(2, region=region),
    )
    row = entry.records.get(object_id=entry.records.values_list("object_id", flat=True)[0])
    row.object_id = "999"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogRecord.objects.all().delete()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists only on PostgreSQL"
)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accesslogrecord SET object_id = '1'",
        "DELETE FROM audit_accesslogrecord",
        "TRUNCATE audit_accesslogrecord",
    ],
)
def test_postgresql_refuses_changes_to_record_rows(statement: str):
    region = RegionFactory.create()
    user = make_user(Role.ADVICE_DESK, region=region)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        objects=ContactFactory.create_batch(2, region=region),
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL vangnet.allow_access_log_truncate = off")
        cursor.execute(statement)
    assert AccessLogRecord.objects.count() == 2


# --- Whose entries a privacy officer reads (hole 6) --------------------------------------


def test_a_regional_privacy_officer_does_not_see_another_regions_entries(client):
    utrecht, amsterdam = RegionFactory.create(code="VT09"), RegionFactory.create(code="VT13")
    utrecht_advisor = make_user(Role.ADVICE_DESK, region=utrecht, username="u-advisor")
    amsterdam_advisor = make_user(Role.ADVICE_DESK, region=amsterdam, username="a-advisor")
    login_verified(client, utrecht_advisor)
    client.get(f"/staff/contacts/{ContactFactory.create(region=utrecht).pk}/")
    client.logout()
    login_verified(client, amsterdam_advisor)
    amsterdam_contact = ContactFactory.create(region=amsterdam)
    client.get(f"/staff/contacts/{amsterdam_contact.pk}/")
    client.logout()

    login_verified(client, make_user(Role.PRIVACY_OFFICER, region=utrecht))
    seen = search(client)

    assert "u-advisor" in {e.username for e in seen}
    assert "a-advisor" not in {e.username for e in seen}
    assert search(client, object_type="contacts.contact", object_id=amsterdam_contact.pk) == []


def test_a_look_at_a_regions_record_from_elsewhere_is_that_regions_to_see(client):
    utrecht, amsterdam = RegionFactory.create(code="VT09"), RegionFactory.create(code="VT13")
    visitor = make_user(Role.ADVICE_DESK, region=amsterdam, username="a-advisor")
    utrecht_contact = ContactFactory.create(region=utrecht)
    # e.g. break-the-glass: the user works in Amsterdam, the record is Utrecht's.
    record_access(user=visitor, action=AccessLogAction.BREAK_GLASS, obj=utrecht_contact)

    login_verified(client, make_user(Role.PRIVACY_OFFICER, region=utrecht))
    found = search(client, object_type="contacts.contact", object_id=utrecht_contact.pk)

    assert [e.username for e in found] == ["a-advisor"]


def test_logins_of_people_of_the_region_are_the_regions_to_see(client):
    utrecht, amsterdam = RegionFactory.create(code="VT09"), RegionFactory.create(code="VT13")
    make_user(Role.ADVICE_DESK, region=utrecht, username="u-advisor")
    make_user(Role.ADVICE_DESK, region=amsterdam, username="a-advisor")
    client.post("/accounts/login/", {"username": "u-advisor", "password": "wrong"})
    client.post("/accounts/login/", {"username": "a-advisor", "password": "wrong"})

    login_verified(client, make_user(Role.PRIVACY_OFFICER, region=utrecht))
    failed = search(client, action=AccessLogAction.LOGIN_FAILED)

    assert {e.username for e in failed} == {"u-advisor"}


def test_the_national_privacy_officer_sees_every_region(client):
    utrecht, amsterdam = RegionFactory.create(code="VT09"), RegionFactory.create(code="VT13")
    for region, name in ((utrecht, "u-advisor"), (amsterdam, "a-advisor")):
        advisor = make_user(Role.ADVICE_DESK, region=region, username=name)
        record_access(
            user=advisor, action=AccessLogAction.VIEW, obj=ContactFactory.create(region=region)
        )

    officer = make_user(Role.NATIONAL_PRIVACY_OFFICER, region=national_desk())
    login_verified(client, officer)

    assert {"u-advisor", "a-advisor"} <= {e.username for e in search(client)}


def test_privacy_officer_of_two_regions_sees_both(client):
    utrecht, amsterdam = RegionFactory.create(code="VT09"), RegionFactory.create(code="VT13")
    for region, name in ((utrecht, "u-advisor"), (amsterdam, "a-advisor")):
        advisor = make_user(Role.ADVICE_DESK, region=region, username=name)
        record_access(
            user=advisor, action=AccessLogAction.VIEW, obj=ContactFactory.create(region=region)
        )
    officer = make_user(Role.PRIVACY_OFFICER, region=utrecht)
    add_membership(officer, Role.PRIVACY_OFFICER, amsterdam)

    login_verified(client, officer)

    assert {"u-advisor", "a-advisor"} <= {e.username for e in search(client)}
    assert AccessLogEntry.objects.filter(object_type="audit.accesslogentry").exists()
