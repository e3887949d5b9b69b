"""The chat's refusal: an action that cannot be done, with a message the person can act on."""


class ChatError(Exception):
    """A chat action that cannot be done; the message tells the person why, in plain words."""


class ChatClosed(ChatError):
    pass
