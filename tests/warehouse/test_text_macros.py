"""`trimmed_or_null` against Python's own `str.strip`, which knows nothing of its fast path: any
text, whitespace or not at either end, comes out the same."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.warehouse.test_zone_macros import macros  # the macros as a build renders them

# what the API's txids and addresses carry (docs/pool-api.md: stray whitespace), plus the
# characters either side of the fast path's line: the vertical tab and control characters at or
# below the space, which are not whitespace to trim, and Unicode spaces, which are kept too
ASCII_WHITESPACE = " \t\n\r\f"
ALPHABET = ASCII_WHITESPACE + "\v\x00\x01\x1f!~ab09\u00a0\u3000é"


def trimmed(texts: list[str | None]) -> list[str | None]:
    rows = (
        macros("UTC")
        .execute(
            "select trimmed_or_null(t) from unnest(?::varchar[]) with ordinality as u (t, i) "
            "order by i",
            [texts],
        )
        .fetchall()
    )
    return [row[0] for row in rows]


def expected(text: str | None) -> str | None:
    return (text.strip(ASCII_WHITESPACE) or None) if text is not None else None


def test_txids_addresses_blanks_and_nulls() -> None:
    texts = ["", " ", "\t\n", None, " 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy\n", "ab", "\va\v"]
    assert trimmed(texts) == [
        None,
        None,
        None,
        None,
        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        "ab",
        "\va\v",
    ]


@given(st.lists(st.text(alphabet=ALPHABET, max_size=8), min_size=1, max_size=50))
def test_any_text_is_trimmed_as_python_strips_it(texts: list[str]) -> None:
    assert trimmed(list(texts)) == [expected(text) for text in texts]
