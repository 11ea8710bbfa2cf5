class Refused(Exception):
    """A user action the rules do not allow; the message says why, in the user's words. Views show
    it on the form or as a message; nothing has been written.

    `code` names the rule for the page and the tests (a short snake_case word, "" when no page or
    test needs to tell this refusal from others); `figures` holds the numbers the message quotes.
    """

    def __init__(self, message: str, *, code: str = "", **figures) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.figures = figures
