"""The lake's own errors: a location that is no lake, a file that failed its check."""

from poolbooks.errors import UserInputError


class LakeLocationError(UserInputError):
    """The `lake` setting names no poolbooks lake, or one that cannot be opened or made; one
    line naming the setting, the location and what is wrong."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"config error: lake: {problem}")
        self.problem = problem


class LakeWriteError(Exception):
    """A file failed its check after writing; it was not put in place."""
