"""Warm handover from the Kindertelefoon and continuity without a name (seed 000)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.accounts.policy import AccessDenied
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.chat import continuity, handovers, presence, services
from vangnet.chat.models import Conversation, ConversationStatus, Handover, HandoverStatus
from vangnet.chat.selectors import SESSION_KEY
from vangnet.contacts.models import Channel, Contact
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    PartnerOrganisationFactory,
    helpline,
    make_user,
    national_desk,
)

from .helpers import employee_at_desk, region_with_postcode, transcript

pytestmark = pytest.mark.django_db

REQUEST = handovers.HandoverRequest(
    channel=Handover.Channel.CHAT,
    consent=True,
    summary_by=Handover.SummaryBy.VOLUNTEER,
    volunteer_stays=True,
    child_anonymous=True,
    summary="Jongen van 14. Vader slaat hem, is ongeduldig en veeleisend. Moeder kan niet helpen.",
    nickname="Jongen",
    age=14,
)
OUTCOME = services.ClosingRegistration(
    asker_type="child",
    forms_of_violence=["physical_abuse"],
    question="Vader slaat hem.",
    advice_given="Netwerk verkend: hij vertrouwt zijn mentor. Uitgelegd hoe geweld kan groeien.",
    referral="",
    advised_to_report=False,
    participants="jongen, vrijwilliger Kindertelefoon",
    agreements="Hij praat met zijn mentor over samen terugbellen.",
)


def volunteer():
    return make_user(Role.HELPLINE_VOLUNTEER, region=national_desk(), organisation=helpline())


def national_employee(first_name: str = "Marieke"):
    employee = employee_at_desk(national_desk(), username=first_name.lower())
    employee.first_name = first_name
    employee.save(update_fields=["first_name"])
    return employee


def chat_handover():
    region_with_postcode()
    sanne = volunteer()
    handover, join_code = handovers.request_handover(
        organisation=sanne.organisation, by=sanne, request=REQUEST
    )
    return sanne, handover, join_code


def child_browser(code: str) -> Client:
    child = Client()
    response = child.post("/chat/", {"code": code})
    assert response.status_code == 302, response.content.decode()[:500]
    return child


def test_without_the_childs_consent_veilig_thuis_is_not_brought_in():
    sanne = volunteer()
    from dataclasses import replace

    with pytest.raises(services.ChatError, match="Zonder toestemming"):
        handovers.request_handover(
            organisation=sanne.organisation, by=sanne, request=replace(REQUEST, consent=False)
        )
    assert Handover.objects.count() == 0 and Conversation.objects.count() == 0


def test_only_a_helplines_volunteer_can_request_a_handover():
    school = PartnerOrganisationFactory.create(kind="school", region=national_desk())
    teacher = make_user(Role.PROFESSIONAL, region=national_desk(), organisation=school)
    with pytest.raises(services.ChatError):
        handovers.request_handover(organisation=school, by=teacher, request=REQUEST)
    outsider = make_user(Role.HELPLINE_VOLUNTEER, region=national_desk())  # no organisation
    with pytest.raises(AccessDenied):
        handovers.request_handover(organisation=helpline(), by=outsider, request=REQUEST)


def test_a_chat_handover_waits_first_in_the_national_desk_queue_with_the_agreements():
    region_with_postcode()
    Client().post("/chat/", {"postcode": "3511"})  # an ordinary chat, waiting longer
    ordinary = Conversation.objects.get()
    ordinary.region = national_desk()
    ordinary.save()
    sanne = volunteer()
    from dataclasses import replace

    handover, _code = handovers.request_handover(
        organisation=sanne.organisation, by=sanne, request=replace(REQUEST, is_urgent=True)
    )

    employee = national_employee()
    staff = login_verified(Client(), employee)
    page = staff.get("/staff/chat/").content.decode()
    assert page.index("warme overdracht") < page.index("Aannemen: chat") or "voorrang" in page
    chat = handover.conversation
    assert chat is not None
    assert chat.region == national_desk() and chat.volunteer == sanne and chat.volunteer_present
    staff_view = transcript(chat, for_visitor=False)
    assert any("samenvatting door de vrijwilliger" in body for _, body in staff_view)
    assert any("vrijwilliger blijft" in body for _, body in staff_view)


def test_the_child_joins_with_the_code_once_and_a_wrong_code_is_refused_and_logged():
    _sanne, handover, join_code = chat_handover()

    child = child_browser(join_code)

    assert child.session[SESSION_KEY] == str(handover.conversation.public_id)
    again = Client().post("/chat/", {"code": join_code})
    assert again.status_code == 400
    assert "klopt niet of is verlopen" in again.content.decode()
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.REFUSED, object_type="chat.continuitycode"
    ).exists()


def test_three_way_conversation_and_the_volunteer_leaves_as_agreed():
    sanne, handover, join_code = chat_handover()
    child_browser(join_code)
    chat = handover.conversation
    marieke = national_employee()
    services.accept_chat(conversation=chat, by=marieke)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACCEPTED and handover.accepted_by == marieke

    services.send_volunteer_message(
        conversation=chat, by=sanne, body="Ik vertel kort wat hij mij vertelde.", client_key="v1"
    )
    services.volunteer_leaves(conversation=chat, by=sanne)

    child_view = transcript(chat, for_visitor=True)
    assert ("volunteer", "Ik vertel kort wat hij mij vertelde.") in child_view
    assert (
        "system",
        "De vrijwilliger van de Kindertelefoon heeft het gesprek verlaten.",
    ) in child_view
    with pytest.raises(AccessDenied):
        services.send_volunteer_message(
            conversation=chat, by=sanne, body="Nog iets", client_key="v2"
        )
    # The conversation goes on between the child and Veilig Thuis.
    services.send_employee_message(
        conversation=chat, by=marieke, body="Wie vertrouw je?", client_key="e1"
    )


def test_a_volunteer_cannot_read_the_conversation_or_dossier_after_handing_over():
    sanne, handover, join_code = chat_handover()
    child_browser(join_code)
    chat = handover.conversation
    marieke = national_employee()
    services.accept_chat(conversation=chat, by=marieke)
    services.volunteer_leaves(conversation=chat, by=sanne)
    services.close_chat(conversation=chat, by=marieke, outcome=OUTCOME)
    chat.refresh_from_db()
    contact = Contact.objects.get()

    browser = login_verified(Client(), sanne)
    page = browser.get(f"/partner/handovers/{handover.pk}/").content.decode()
    assert "Vader slaat" not in page and "data-chat-socket" not in page
    for url in (
        f"/staff/chat/{chat.pk}/",
        f"/staff/contacts/{contact.pk}/",
        f"/staff/contacts/dossiers/{chat.dossier_id}/",
    ):
        assert browser.get(url).status_code == 403, url


def test_continuity_code_brings_the_child_back_to_the_same_employee_and_dossier():
    _sanne, handover, join_code = chat_handover()
    child_browser(join_code)
    chat = handover.conversation
    marieke = national_employee()
    services.accept_chat(conversation=chat, by=marieke)
    issued = continuity.issue_continuity_code(conversation=chat, by=marieke)
    chat.refresh_from_db()
    assert any(issued.code in body for _, body in transcript(chat, for_visitor=True))
    first_contact = services.close_chat(conversation=chat, by=marieke, outcome=OUTCOME)

    # Days later: the boy and his mentor chat again with the code, without a name.
    later = Client()
    response = later.post("/chat/", {"code": issued.code.lower().replace("-", " ")})
    assert response.status_code == 302
    again = Conversation.objects.exclude(pk=chat.pk).get()
    assert again.preferred_employee == marieke and again.dossier == chat.dossier

    colleague = national_employee("Ahmed")
    with pytest.raises(services.ChatError, match="Deze chat is voor Marieke"):
        services.accept_chat(conversation=again, by=colleague)
    services.accept_chat(conversation=again, by=marieke)
    second_contact = services.close_chat(
        conversation=again,
        by=marieke,
        outcome=services.ClosingRegistration(
            asker_type="child",
            forms_of_violence=["physical_abuse"],
            question="Jongen en mentor bellen samen terug.",
            advice_given="Scenario's en de meldcode besproken met de mentor.",
            referral="",
            advised_to_report=False,
            participants="jongen en zijn mentor",
            agreements="Gesprek op school met mentor en moeder.",
        ),
    )
    assert first_contact.dossier == second_contact.dossier == chat.dossier

    staff = login_verified(Client(), marieke)
    page = staff.get(f"/staff/contacts/dossiers/{chat.dossier_id}/").content.decode()
    assert page.index("Vader slaat hem.") < page.index("Jongen en mentor bellen samen terug.")
    assert "Gesprek op school met mentor en moeder." in page


def test_when_the_employee_is_away_her_team_takes_the_chat_with_the_history():
    region_with_postcode()
    chat = Conversation.objects.create(
        region=national_desk(), home_region=national_desk(), status=ConversationStatus.ACTIVE
    )
    marieke = national_employee()
    chat.assigned_to = marieke
    chat.save()
    issued = continuity.issue_continuity_code(conversation=chat, by=marieke)
    chat.refresh_from_db()
    presence.set_availability(user=marieke, available=False)

    Client().post("/chat/", {"code": issued.code})

    again = Conversation.objects.exclude(pk=chat.pk).get()
    colleague = national_employee("Ahmed")
    services.accept_chat(conversation=again, by=colleague)
    assert again.dossier == chat.dossier


@pytest.mark.parametrize("problem", ["wrong", "expired", "revoked"])
def test_a_wrong_expired_or_revoked_code_is_refused_with_a_clear_message_and_logged(problem):
    region_with_postcode()
    chat = Conversation.objects.create(
        region=national_desk(), home_region=national_desk(), status=ConversationStatus.ACTIVE
    )
    marieke = national_employee()
    chat.assigned_to = marieke
    chat.save()
    issued = continuity.issue_continuity_code(conversation=chat, by=marieke)
    code = issued.code
    expected = "Deze code kennen we niet."
    if problem == "wrong":
        code = "ABCD-EFGH-JKMN"
    elif problem == "expired":
        from vangnet.chat.models import ContinuityCode

        ContinuityCode.objects.update(expires_at=timezone.now() - timedelta(days=1))
        expected = "Deze code is verlopen."
    else:
        from vangnet.chat.models import ContinuityCode

        continuity.revoke_continuity_code(code_id=ContinuityCode.objects.get().pk, by=marieke)
        expected = "Deze code is ingetrokken."

    response = Client().post("/chat/", {"code": code})

    assert response.status_code == 400 and expected in response.content.decode()
    assert Conversation.objects.count() == 1
    assert (
        AccessLogEntry.objects.filter(
            action=AccessLogAction.REFUSED, object_type="chat.continuitycode"
        ).count()
        == 1
    )


def test_guessing_codes_is_stopped_after_five_tries():
    region_with_postcode()
    guesser = Client()
    for n in range(5):
        guesser.post("/chat/", {"code": f"AAAA-BBBB-CCC{n}"})

    response = guesser.post("/chat/", {"code": "AAAA-BBBB-CCCC"})

    assert "Te veel pogingen" in response.content.decode()


def test_a_phone_handover_is_accepted_and_the_call_registered_in_the_same_place():
    region_with_postcode()
    sanne = volunteer()
    from dataclasses import replace

    handover, join_code = handovers.request_handover(
        organisation=sanne.organisation,
        by=sanne,
        request=replace(REQUEST, channel=Handover.Channel.PHONE),
    )
    assert join_code == "" and handover.conversation is None
    marieke = national_employee()
    staff = login_verified(Client(), marieke)
    assert "Telefonische warme overdrachten" in staff.get("/staff/chat/").content.decode()

    assert staff.post(f"/staff/chat/handovers/{handover.pk}/accept/").status_code == 302
    response = staff.post(
        f"/staff/chat/handovers/{handover.pk}/",
        {
            "asker_type": "child",
            "forms_of_violence": ["physical_abuse"],
            "question": "Driegesprek met jongen van 14 en vrijwilliger.",
            "advice_given": "Uitgelegd wat Veilig Thuis kan doen.",
            "participants": "jongen, vrijwilliger",
        },
    )

    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.COMPLETED and handover.contact is not None
    assert handover.contact.dossier is not None and handover.contact.channel == Channel.PHONE


def test_the_employee_revokes_a_code_on_the_dossier_page_and_it_stops_working():
    region_with_postcode()
    chat = Conversation.objects.create(
        region=national_desk(), home_region=national_desk(), status=ConversationStatus.ACTIVE
    )
    marieke = national_employee()
    chat.assigned_to = marieke
    chat.save()
    issued = continuity.issue_continuity_code(conversation=chat, by=marieke)
    chat.refresh_from_db()
    staff = login_verified(Client(), marieke)
    page = staff.get(f"/staff/contacts/dossiers/{chat.dossier_id}/").content.decode()
    assert "Intrekken" in page
    from vangnet.chat.models import ContinuityCode

    staff.post(f"/staff/chat/codes/{ContinuityCode.objects.get().pk}/revoke/")

    response = Client().post("/chat/", {"code": issued.code})
    assert "Deze code is ingetrokken." in response.content.decode()
