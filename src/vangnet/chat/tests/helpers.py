"""Test helpers that read like the work: a visitor starts a chat, an employee is at the desk."""

from __future__ import annotations

from vangnet.accounts.models import Role, User
from vangnet.chat import presence, services
from vangnet.chat.models import Conversation, Message
from vangnet.regions.models import Region
from vangnet.testing.factories import PostcodeFactory, RegionFactory, make_user, national_desk


def region_with_postcode(name: str = "Utrecht", code: str = "3511") -> Region:
    region = RegionFactory.create(name=name)
    PostcodeFactory.create(code=code, municipality__region=region)
    national_desk()
    return region


def visitor_starts_chat(
    postcode: str | None = "3511", nickname: str = "Sam", age: int | None = 14
) -> Conversation:
    return services.start_chat(
        intake=services.Intake(nickname=nickname, age=age, gender="", postcode=postcode)
    )


def employee_at_desk(region: Region, *, username: str = "", available: bool = True) -> User:
    user = make_user(
        Role.ADVICE_DESK, region=region, **({"username": username} if username else {})
    )
    if available:
        presence.set_availability(user=user, available=True)
    return user


def transcript(conversation: Conversation, *, for_visitor: bool) -> list[tuple[str, str]]:
    from vangnet.chat.selectors import messages_after

    return [
        (m.sender, m.body) for m in messages_after(conversation, after=0, for_visitor=for_visitor)
    ]


def texts(conversation: Conversation) -> list[str]:
    return list(
        Message.objects.filter(conversation=conversation)
        .order_by("sequence")
        .values_list("body", flat=True)
    )
