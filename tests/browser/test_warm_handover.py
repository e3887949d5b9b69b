"""The seed story (seed 000) in three browsers: a boy of 14, a Kindertelefoon volunteer and a
Veilig Thuis employee — and, days later, the boy back with his code."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from vangnet.accounts.models import Role
from vangnet.contacts.models import AdviceDossier, Contact
from vangnet.testing.factories import (
    PostcodeFactory,
    RegionFactory,
    confirmed_totp_device,
    helpline,
    make_user,
    national_desk,
)

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def test_warm_handover_three_way_then_the_same_employee_days_later(
    new_page: Callable[[], Page], monkeypatch
):  # type: ignore[no-untyped-def]
    PostcodeFactory.create(code="3511", municipality__region=RegionFactory.create(name="Utrecht"))
    desk_region = national_desk()
    sanne = make_user(
        Role.HELPLINE_VOLUNTEER, region=desk_region, organisation=helpline(), first_name="Sanne"
    )
    marieke = make_user(Role.ADVICE_DESK, region=desk_region, first_name="Marieke")

    employee = new_page()
    log_in(employee, marieke, confirmed_totp_device(marieke))
    employee.goto("/staff/chat/")
    employee.get_by_role("button", name="Zet op beschikbaar").click()

    # The volunteer records what was agreed with the boy and brings Veilig Thuis in.
    volunteer = new_page()
    log_in(volunteer, sanne, confirmed_totp_device(sanne))
    volunteer.goto("/partner/handovers/new/")
    volunteer.get_by_label("Chat", exact=True).check()
    volunteer.get_by_label("Het kind wil dat Veilig Thuis aansluit").check()
    volunteer.get_by_label("Ik, de vrijwilliger").check()
    volunteer.get_by_label("Ja, zoals afgesproken met het kind").check()
    volunteer.get_by_label("Ja", exact=True).check()
    volunteer.get_by_label("Korte samenvatting").fill(
        "Jongen van 14. Vader slaat hem en is veeleisend. Wil anoniem blijven."
    )
    volunteer.get_by_label("Roepnaam van het kind").fill("Jongen")
    volunteer.get_by_role("button", name="Vraag Veilig Thuis erbij").click()
    join_code = volunteer.get_by_test_id("join-code").inner_text().strip()

    # The boy enters the code the volunteer gave him.
    boy = new_page()
    boy.set_viewport_size(PHONE)
    boy.goto("/chat/")
    boy.get_by_label("Heb je een code gekregen?").fill(join_code)
    boy.get_by_role("button", name="Start de chat").click()

    employee.get_by_role("button", name="Aannemen: Jongen").click()
    expect(
        employee.get_by_role("heading", name="Warme overdracht: afgesproken met het kind")
    ).to_be_visible()
    expect(employee.get_by_text("De vrijwilliger blijft in het gesprek.")).to_be_visible()
    expect(boy.get_by_role("status")).to_contain_text("Je chat met Marieke van Veilig Thuis.")
    expect(boy.get_by_role("status")).to_contain_text(
        "De vrijwilliger van de Kindertelefoon is ook"
    )

    volunteer.reload()
    volunteer.get_by_label("Bericht", exact=True).fill("Ik vertel kort wat hij mij vertelde.")
    volunteer.get_by_role("button", name="Verstuur").click()
    expect(boy.locator("#chat-messages")).to_contain_text("Ik vertel kort wat hij mij vertelde.")
    expect(employee.locator("#chat-messages")).to_contain_text(
        "Ik vertel kort wat hij mij vertelde."
    )

    employee.get_by_label("Bericht", exact=True).fill("Wie vind jij belangrijk, buiten je ouders?")
    employee.get_by_role("button", name="Verstuur").click()
    boy.get_by_label("Jouw bericht").fill("Mijn mentor, die vertrouw ik.")
    boy.get_by_label("Jouw bericht").press("Enter")
    expect(employee.locator("#chat-messages")).to_contain_text("Mijn mentor, die vertrouw ik.")

    volunteer.get_by_role("button", name="Gesprek verlaten").click()
    expect(volunteer.get_by_text("Je bent niet (meer) in het gesprek.")).to_be_visible()
    expect(volunteer.locator("#chat-messages")).to_have_count(0)
    expect(boy.locator("#chat-messages")).to_contain_text("heeft het gesprek verlaten")

    employee.get_by_role("button", name="Geef continuïteitscode").click()
    notice = employee.get_by_text(
        re.compile(r"Continuïteitscode [0-9A-Z-]+ is in de chat gestuurd")
    )
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", notice.inner_text()).group(0)  # type: ignore[union-attr]
    expect(boy.locator("#chat-messages")).to_contain_text(code)

    employee.get_by_label("Wie chatte er?").select_option("child")
    employee.get_by_label("Lichamelijke mishandeling").check()
    employee.get_by_label("Vraag of zorg").fill("Vader slaat hem.")
    employee.get_by_label("Gegeven advies").fill("Netwerk verkend; hij praat met zijn mentor.")
    employee.get_by_label("Wie deden mee").fill("jongen, vrijwilliger Kindertelefoon")
    employee.get_by_role("button", name="Chat afsluiten").click()
    expect(boy.get_by_role("status")).to_have_text("De medewerker heeft de chat afgesloten.")

    expect(employee.get_by_text("De chat is afgesloten en geregistreerd")).to_be_visible()
    employee.get_by_role("button", name="Uitloggen").click()  # the end of her working day

    # Days later the boy and his mentor chat again, with the code and without a name.
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=4))
    log_in(employee, marieke, confirmed_totp_device(marieke))
    employee.goto("/staff/chat/")
    together = new_page()
    together.goto("/chat/")
    together.get_by_label("Heb je een code gekregen?").fill(code.lower())
    together.get_by_role("button", name="Start de chat").click()
    expect(together.get_by_role("status")).to_contain_text("in de wachtrij")

    expect(employee.get_by_text("voor Marieke")).to_be_visible()
    employee.get_by_role("button", name="Aannemen: chat").click()
    expect(together.get_by_role("status")).to_contain_text("Je chat met Marieke")
    employee.get_by_role("link", name=re.compile(r"^AD-")).click()
    expect(employee.get_by_role("heading", level=1)).to_contain_text("Adviesdossier")
    expect(employee.get_by_role("main")).to_contain_text("Vader slaat hem.")

    dossier = AdviceDossier.objects.get()
    assert Contact.objects.filter(dossier=dossier).count() == 1
    assert dossier.conversations.count() == 2
