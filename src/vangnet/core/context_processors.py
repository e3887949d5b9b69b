from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "PHONE_NUMBER": settings.VANGNET_PHONE_NUMBER,
        "NEUTRAL_EXIT_URL": settings.VANGNET_NEUTRAL_EXIT_URL,
    }
