"""One way to say no (ADR 0028).

`DomainError` is what a service raises when an action cannot be done: its message tells the
person why, in plain words they can act on (Dutch, translated), and `errors` may name the
form fields it is about. Each app names its own (`ChatError`, `ReportError`, ...) as a
subclass without logic of its own, so an adapter can catch the one type.

`show_on_form` is the one way an adapter puts a service's refusal on a form: a
`DomainError` or a Django `ValidationError`, each message at its field when the form has
that field, otherwise at the top of the form.

The bottom layer: it imports nothing of ours.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class DomainError(Exception):
    """An action that cannot be done; the message tells the person why, in plain words.

    `errors` maps form fields to messages, so a form can show each one at its field; without
    a message of its own, the message is those messages together.
    """

    def __init__(self, message: str = "", *, errors: dict[str, list[str]] | None = None):
        self.errors = errors or {}
        if not message:
            message = " ".join(m for messages in self.errors.values() for m in messages)
        super().__init__(message)


def show_on_form(
    form: forms.Form,
    error: DomainError | ValidationError,
    *,
    field: str | None = None,
    field_names: Mapping[str, str] | None = None,
    field_for: Callable[[ValidationError], str | None] | None = None,
) -> None:
    """Put a service's refusal on `form`: each message at its field, if the form has it.

    A message without a field (or with one the form lacks) goes to `field`, by default the
    top of the form. `field_names` renames a service's field to the form's (`password` ->
    `password1`); `field_for` picks a field for such a message by its code.
    """
    renamed = field_names or {}

    def place(name: str | None) -> str | None:
        if name is not None:
            name = renamed.get(name, name)
            if name in form.fields:
                return name
        return field

    if isinstance(error, DomainError):
        if not error.errors:
            form.add_error(place(None), str(error))
        for name, messages in error.errors.items():
            for message in messages:
                form.add_error(place(name), message)
        return
    problems: dict[str, list[ValidationError]] = (
        error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
    )
    for name, field_problems in problems.items():
        for problem in field_problems:
            at = place(None if name == NON_FIELD_ERRORS else name)
            if at is None and field_for is not None:
                at = field_for(problem)
            form.add_error(at, problem)
