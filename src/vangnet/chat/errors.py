"""The chat's refusal: an action that cannot be done, with a message the person can act on."""

from vangnet.errors import DomainError


class ChatError(DomainError):
    """A chat action that cannot be done; the message tells the person why, in plain words."""


class ChatClosed(ChatError):
    pass
