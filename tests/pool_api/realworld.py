"""Real-world pool API bodies (tests/fixtures/realworld) and the named steps that serve them.

A fixture keeps its body exactly as its source shows it. `as_served` lists the mechanical steps
that turn that text into the JSON a server would send. A step removes or re-quotes what is there
or fixes punctuation, never inside a string; only the wrappers (`wrap_in_envelope`,
`wrap_list_in_page`) add the envelope and paging fields the API always sends, and
`export_row_to_api_row` undoes the two field mappings of BTC.com's export tool. A fixture that no
such steps can serve says why in `not_servable` instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parents[1] / "fixtures" / "realworld"
OTHER_ENDPOINT = "other:"
# a JSON string, or a JavaScript single-quoted one (the docs quote some keys that way)
_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")
_SLOT = re.compile(r'"@(\d+)@"')


def fixture_names() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


def load_fixture(name: str) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    return fixture


def served_body(fixture: dict[str, Any]) -> bytes:
    """The fixture's body after its `as_served` steps, in order, as UTF-8 bytes."""
    text: str = fixture["body"]
    for step in fixture["as_served"]:
        text = STEPS[step](text)
    return text.encode("utf-8")


def strict_json(raw: bytes) -> Any:
    """`raw` as a JSON object, refusing what lenient parsers let through (NaN, repeated keys)."""

    def no_constants(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError(f"repeated key in {keys}")
        return dict(pairs)

    value = json.loads(raw.decode("utf-8"), parse_constant=no_constants, object_pairs_hook=unique)
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value


# --- steps: each a pure function of the text ------------------------------------------------


def _outside_strings(text: str, change: Callable[[str], str], requote: bool = False) -> str:
    """`change` applied to the text with every string literal hidden, so punctuation inside a
    string is never touched; with `requote`, single-quoted literals come back double-quoted."""
    literals: list[str] = []

    def hide(match: re.Match[str]) -> str:
        literal = match.group()
        if requote and literal.startswith("'"):
            literal = json.dumps(literal[1:-1].replace("\\'", "'"), ensure_ascii=False)
        literals.append(literal)
        return f'"@{len(literals) - 1}@"'

    changed = change(_STRING.sub(hide, text))
    return _SLOT.sub(lambda match: literals[int(match.group(1))], changed)


def strip_comment_prefix(text: str) -> str:
    """A body pasted into a script comment: drop the `# ` that starts every line."""
    return re.sub(r"^#[ \t]?", "", text, flags=re.MULTILINE)


def nbsp_to_space(text: str) -> str:
    """The btc_pool_docs indent with U+00A0 NO-BREAK SPACE, which JSON does not allow."""
    return text.replace("\u00a0", " ")


def drop_dash_comments(text: str) -> str:
    """`--- what this field means` annotations to the end of the line."""
    return _outside_strings(text, lambda t: re.sub(r"[ \t]*-{2,3}[ \t].*", "", t))


def arrows_to_colons(text: str) -> str:
    """PHP's `"key" => value` written for JSON's `"key": value`."""
    return _outside_strings(text, lambda t: re.sub(r"[ \t]*=>", ":", t))


def single_to_double_quotes(text: str) -> str:
    """`'diff'` re-quoted as `"diff"`."""
    return _outside_strings(text, lambda t: t, requote=True)


def add_missing_commas(text: str) -> str:
    """A comma between a value that ends a line and a member or element starting the next."""
    pattern = r'(?<=["\d\]}el])([ \t]*\r?\n\s*)(?=["{\[])'
    return _outside_strings(text, lambda t: re.sub(pattern, r",\1", t))


def drop_trailing_commas(text: str) -> str:
    """A comma before a closing `}` or `]`."""
    return _outside_strings(text, lambda t: re.sub(r",(\s*[\]}])", r"\1", t))


def drop_ellipsis_elements(text: str) -> str:
    """A bare `...` standing for more elements of a list, with the comma before it."""
    return _outside_strings(text, lambda t: re.sub(r"(,\s*)?\.\.\.(?=\s*\])", "", t))


def drop_unbalanced_closers(text: str) -> str:
    """A `}` or `]` that closes nothing (a stray brace after the document)."""

    def drop(masked: str) -> str:
        kept: list[str] = []
        depth = 0
        for char in masked:
            if char in "{[":
                depth += 1
            elif char in "}]":
                if depth == 0:
                    continue
                depth -= 1
            kept.append(char)
        return "".join(kept)

    return _outside_strings(text, drop)


def uncomment_js_array(text: str) -> str:
    """`var name = [/* rows */];`: the commented-out array literal, without the code around it."""
    text = re.sub(r"^\s*var\s+\w+\s*=\s*\[/\*", "[", text)
    return re.sub(r"\*/\]\s*;\s*$", "]", text)


def js_object_to_json(text: str) -> str:
    """A JavaScript object literal as JSON: bare keys and single-quoted strings double-quoted,
    trailing commas removed; every value kept."""

    def convert(masked: str) -> str:
        quoted = re.sub(r"([{,]\s*)([A-Za-z_$][\w$]*)(\s*:)", r'\1"\2"\3', masked)
        return re.sub(r",(\s*[\]}])", r"\1", quoted)

    return _outside_strings(text, convert, requote=True)


def export_row_to_api_row(text: str) -> str:
    """Undo btcpool-export's mapping of an API row (app.jsx L651-L652 at 3d36bba): its `earn` is
    the API's `earnings`, its `date` the API's YYYYMMDD with dashes added. Values are kept."""
    rows = json.loads(text)
    api_rows = [
        {
            ("earnings" if key == "earn" else key): (
                value.replace("-", "") if key == "date" else value
            )
            for key, value in row.items()
        }
        for row in rows
    ]
    return json.dumps(api_rows, ensure_ascii=False, indent=2)


def wrap_list_in_page(text: str) -> str:
    """A list of earn-history rows as one whole page: page "1" of 1, `page_size` "50" (what
    btcpool-export asks for), `total_count` the rows there are."""
    rows = json.loads(text)
    page = {"page": "1", "page_size": "50", "page_count": 1, "total_count": len(rows)}
    return json.dumps({**page, "list": rows}, ensure_ascii=False, indent=2)


def wrap_in_envelope(text: str) -> str:
    """A data-only example inside the API's success envelope `{"err_no": 0, "data": ...}`."""
    return '{"err_no": 0, "data": ' + text.strip() + "}"


STEPS: dict[str, Callable[[str], str]] = {
    step.__name__: step
    for step in (
        strip_comment_prefix,
        nbsp_to_space,
        drop_dash_comments,
        arrows_to_colons,
        single_to_double_quotes,
        add_missing_commas,
        drop_trailing_commas,
        drop_ellipsis_elements,
        drop_unbalanced_closers,
        uncomment_js_array,
        js_object_to_json,
        export_row_to_api_row,
        wrap_list_in_page,
        wrap_in_envelope,
    )
}
