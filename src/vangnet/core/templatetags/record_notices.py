"""`{% record_notices obj %}`: what other apps have to say on this record's page (core.notices)."""

from __future__ import annotations

from typing import Any

from django import template

from vangnet.core.notices import notices_for

register = template.Library()


@register.inclusion_tag("core/record_notices.html", takes_context=True)
def record_notices(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"notices": notices_for(user, obj) if user is not None else []}
