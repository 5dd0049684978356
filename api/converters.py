"""The API's path converters: bounded numbers (a number too large for the database is no address, not an
error) and the program's codes. Their OpenAPI types are in settings (SPECTACULAR_SETTINGS)."""

from programs.models import ProvincialReport


class _Number:
    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class Year(_Number):
    regex = "[0-9]{4}"


class Quarter(_Number):
    regex = "[1-9]"


class Number(_Number):
    regex = "[1-9][0-9]{0,8}"


class Code:
    regex = "[-a-zA-Z0-9_]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class Kind(Code):
    regex = "|".join(ProvincialReport.Kind.values)


class FileFormat(Code):
    regex = "pdf|xlsx"
