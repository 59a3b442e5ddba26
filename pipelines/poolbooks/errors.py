"""The error every layer raises for something the user must fix: a setting, a path."""


class UserInputError(Exception):
    """Something the user gave is wrong, said in one line; the command line exits 2 on it,
    without a traceback, and a retry would find the same."""
