"""The console's pages: standard texts kept by team leads, the console, transcript export."""

from __future__ import annotations

import pytest
from django.test import Client

from vangnet.accounts.models import Role, User
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.chat import services
from vangnet.chat.models import StandardText
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import make_user

from .helpers import employee_at_desk, region_with_postcode, visitor_starts_chat

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_a_team_lead_adds_a_standard_text_for_their_region_with_clear_errors():
    region = region_with_postcode()
    lead = signed_in(make_user(Role.TEAM_LEAD, region=region))

    refused = lead.post("/staff/chat/standard-texts/new/", {"title": "", "body": "", "region": ""})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Geef de tekst een korte titel." in page
    assert "Schrijf de tekst die in de chat komt." in page
    assert "Landelijke teksten worden bijgehouden door het landelijk loket" in page
    assert not StandardText.objects.exists()

    saved = lead.post(
        "/staff/chat/standard-texts/new/",
        {"title": "Welkom", "body": "Fijn dat je er bent.", "region": region.pk, "is_active": "on"},
    )
    assert saved.status_code == 302
    text = StandardText.objects.get()
    assert text.region == region and text.is_active
    assert "Welkom" in lead.get("/staff/chat/standard-texts/").content.decode()


def test_a_team_lead_cannot_change_a_text_of_another_region_or_a_national_one():
    region = region_with_postcode()
    other = region_with_postcode(name="Gelderland-Zuid", code="6511")
    lead = signed_in(make_user(Role.TEAM_LEAD, region=region))
    foreign = StandardText.objects.create(title="Daar", body="Tekst", region=other)
    national = StandardText.objects.create(title="Landelijk", body="Tekst")

    assert lead.get(f"/staff/chat/standard-texts/{foreign.pk}/edit/").status_code == 403
    assert lead.get(f"/staff/chat/standard-texts/{national.pk}/edit/").status_code == 403
    assert "Daar" not in lead.get("/staff/chat/standard-texts/").content.decode()


def test_the_console_offers_the_regions_and_national_texts_and_not_those_of_another_region():
    region = region_with_postcode()
    other = region_with_postcode(name="Gelderland-Zuid", code="6511")
    employee = employee_at_desk(region)
    StandardText.objects.create(title="Eigen", body="Tekst van de regio", region=region)
    StandardText.objects.create(title="Overal", body="Landelijke tekst")
    StandardText.objects.create(title="Elders", body="Tekst van elders", region=other)
    StandardText.objects.create(title="Oud", body="Niet meer", is_active=False)
    services.accept_chat(conversation=visitor_starts_chat(), by=employee)

    page = signed_in(employee).get("/staff/chat/console/").content.decode()

    assert "Invoegen: Eigen" in page and "Invoegen: Overal" in page
    assert "Invoegen: Elders" not in page and "Invoegen: Oud" not in page
    assert "Chat met Sam" in page


def test_the_console_with_no_chats_says_so():
    region = region_with_postcode()
    page = signed_in(employee_at_desk(region)).get("/staff/chat/console/").content.decode()

    assert "U heeft geen lopende chats." in page
    assert "0 chats wachten" in page


def test_accept_next_at_capacity_says_why():
    region = region_with_postcode()
    employee = employee_at_desk(region)
    client = signed_in(employee)
    for name in ("A", "B", "C"):
        visitor_starts_chat(nickname=name)
    client.post("/staff/chat/console/next/")
    client.post("/staff/chat/console/next/")

    response = client.post("/staff/chat/console/next/", follow=True)

    assert "uw maximum" in response.content.decode()


def test_downloading_a_transcript_is_logged_as_an_export_and_names_no_one_in_the_file_name():
    region = region_with_postcode()
    employee = employee_at_desk(region)
    chat = visitor_starts_chat(nickname="Sam")
    services.accept_chat(conversation=chat, by=employee)
    services.send_visitor_message(conversation=chat, body="Mijn ouders maken ruzie", client_key="k")
    client = signed_in(employee)

    printed = client.get(f"/staff/chat/{chat.pk}/transcript/")
    download = client.get(f"/staff/chat/{chat.pk}/transcript/?download=1")

    assert "Mijn ouders maken ruzie" in printed.content.decode()
    assert download["Content-Disposition"] == f'attachment; filename="chat-{chat.pk}.txt"'
    assert "Sam: Mijn ouders maken ruzie" in download.content.decode()
    exports = AccessLogEntry.objects.filter(action=AccessLogAction.EXPORT, object_id=str(chat.pk))
    assert exports.count() == 2


def test_a_transcript_of_another_region_is_refused_and_logged():
    region_with_postcode()
    other = region_with_postcode(name="Gelderland-Zuid", code="6511")
    chat = visitor_starts_chat()
    stranger = signed_in(employee_at_desk(other))

    assert stranger.get(f"/staff/chat/{chat.pk}/transcript/").status_code == 403
    assert AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).count() == 1
    assert not AccessLogEntry.objects.filter(action=AccessLogAction.EXPORT).exists()


def test_the_satisfaction_answer_is_stored_once_without_any_identifier(client):
    from vangnet.chat.models import SatisfactionAnswer
    from vangnet.chat.selectors import SESSION_KEY

    region = region_with_postcode()
    client.post("/chat/", {"nickname": "Sam", "postcode": "3511"})
    from vangnet.chat.models import Conversation

    conversation = Conversation.objects.get(public_id=client.session[SESSION_KEY])
    too_early = client.post("/chat/feedback/", {"helped": "yes"}, follow=True)
    assert "Er is geen gesprek om over te antwoorden." in too_early.content.decode()
    services.accept_chat(conversation=conversation, by=employee_at_desk(region))
    services.leave_chat(conversation=conversation)
    page = client.get("/chat/").content.decode()
    assert "Heb je iets aan dit gesprek gehad?" in page

    unclear = client.post("/chat/feedback/", {"helped": ""}, follow=True)
    assert "Kies ja of nee." in unclear.content.decode()
    client.post("/chat/feedback/", {"helped": "yes", "comment": "Fijn dat iemand luisterde"})
    again = client.post("/chat/feedback/", {"helped": "no"}, follow=True)

    assert "Je hebt al geantwoord." in again.content.decode()
    answer = SatisfactionAnswer.objects.get()
    assert answer.helped and answer.comment == "Fijn dat iemand luisterde"
    assert {f.name for f in SatisfactionAnswer._meta.get_fields()} == {
        "id",
        "region",
        "day",
        "helped",
        "comment",
    }


def test_the_team_lead_sees_satisfaction_only_in_aggregate_and_from_five_answers():
    from vangnet.chat.models import SatisfactionAnswer

    region = region_with_postcode()
    lead = signed_in(make_user(Role.TEAM_LEAD, region=region))
    for helped in (True, True, False, True):
        SatisfactionAnswer.objects.create(region=region, helped=helped, comment="geheim")

    assert "Nog te weinig antwoorden" in lead.get("/staff/chat/floor/").content.decode()
    SatisfactionAnswer.objects.create(region=region, helped=True)
    page = lead.get("/staff/chat/floor/").content.decode()
    assert "4 van 5 bezoekers die antwoordden, hadden iets aan het gesprek (80%)" in page
    assert "geheim" not in page


def test_a_team_lead_moves_an_employees_chats_back_to_the_queue_and_sets_capacity():
    region = region_with_postcode()
    employee = employee_at_desk(region)
    chat = visitor_starts_chat()
    services.accept_chat(conversation=chat, by=employee)
    lead = signed_in(make_user(Role.TEAM_LEAD, region=region))

    lead.post(f"/staff/chat/floor/employees/{employee.pk}/return/")
    refused = lead.post(
        f"/staff/chat/floor/employees/{employee.pk}/capacity/", {"capacity": "9"}, follow=True
    )
    lead.post(f"/staff/chat/floor/employees/{employee.pk}/capacity/", {"capacity": "3"})

    chat.refresh_from_db()
    assert chat.status == "waiting" and chat.assigned_to is None
    assert "Kies een aantal van 1 tot en met 6 chats." in refused.content.decode()
    from vangnet.chat import assignment

    assert assignment.capacity_of(employee) == 3


def test_a_team_lead_sets_the_return_time_and_automatic_offering_with_validation():
    region = region_with_postcode()
    lead_user = make_user(Role.TEAM_LEAD, region=region)
    lead = signed_in(lead_user)
    base = {"is_open": "on", "overflow_to_national_desk": "on", "overflow_after_seconds": "180"}

    too_short = lead.post("/staff/chat/desk/", {**base, "return_after_seconds": "10"})
    assert too_short.status_code == 400
    assert "60" in too_short.content.decode()

    lead.post(
        "/staff/chat/desk/", {**base, "return_after_seconds": "120", "offer_automatically": "on"}
    )
    desk = services.desk_for(region)
    assert desk.return_after_seconds == 120 and desk.offer_automatically


def test_the_side_panel_shows_the_dossiers_earlier_agreements_and_logs_that_it_did():
    from vangnet.testing.factories import AdviceDossierFactory, ContactFactory

    region = region_with_postcode()
    employee = employee_at_desk(region)
    dossier = AdviceDossierFactory.create(region=region, owner=employee)
    contact = ContactFactory.create(
        region=region, dossier=dossier, agreements="Sam praat met zijn mentor op maandag."
    )
    chat = visitor_starts_chat()
    chat.dossier = dossier
    chat.save(update_fields=["dossier"])
    services.accept_chat(conversation=chat, by=employee)

    page = signed_in(employee).get("/staff/chat/console/").content.decode()

    assert "Eerdere afspraken in het dossier" in page
    assert "Sam praat met zijn mentor op maandag." in page
    # (a list of one is logged as an entry about that one record)
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.VIEW,
        user_id=employee.pk,
        object_type="contacts.contact",
        object_id=str(contact.pk),
    ).exists()
