class Refused(Exception):
    """A user action the rules do not allow; the message says why, in the user's words. Views show
    it on the form or as a message; nothing has been written."""
