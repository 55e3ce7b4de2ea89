"""Confluence's check of a storage-format body: it must parse as XHTML (well-formed XML, with
XHTML's named entities such as &nbsp;). Real Confluence parses the body with Woodstox inside a root
element and refuses what does not parse with a 400 "Error parsing xhtml: ..." (DC, as captured in
github.com/kovetskiy/mark/issues/111 and /issues/54; Cloud prefixes the exception's class, as
captured in github.com/chesshacker/terraform-provider-confluence/issues/7 and line/conflr/issues/56).
An unclosed element is reported at the root's close tag: "Unexpected close tag </xml>; expected </p>."
(chesshacker/terraform-provider-confluence#7). Only well-formedness is modelled: no namespace, macro
or schema checks."""

from __future__ import annotations

import re
from functools import cache
from html.entities import name2codepoint
from xml.parsers import expat

from atlctl.sandbox.confluence import errors
from atlctl.sandbox.product import Refusal

_ROOT = "xml"
_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}  # XML's own: declaring them again would change them
_NAME = re.compile(rb"[^\s>/]+")


@cache
def _prologue() -> bytes:
    """The root element's document type, declaring XHTML's entities; one line, so the body starts
    on line 2."""
    entities = "".join(f'<!ENTITY {name} "&#{code};">' for name, code in sorted(name2codepoint.items()) if name not in _PREDEFINED)
    return f"<!DOCTYPE {_ROOT} [{entities}]><{_ROOT}>\n".encode()


def _problem(text: str) -> str | None:
    """Woodstox's wording for why `text` is not well-formed XHTML, or None when it is."""
    doc = _prologue() + text.encode("utf-8", "surrogatepass") + f"</{_ROOT}>".encode()
    parser = expat.ParserCreate()
    open_elements: list[str] = []
    parser.StartElementHandler = lambda name, attrs: open_elements.append(name)
    parser.EndElementHandler = lambda name: open_elements.pop()
    try:
        parser.Parse(doc, True)
        return None
    except expat.ExpatError as exc:
        where = f"\n at [row,col {{unknown-source}}]: [{exc.lineno - 1},{exc.offset + 1}]"
        if exc.code == expat.errors.codes[expat.errors.XML_ERROR_TAG_MISMATCH] and open_elements:
            found = _NAME.match(doc, parser.ErrorByteIndex)
            name = found.group().decode("utf-8", "replace") if found else ""
            return f"Unexpected close tag </{name}>; expected </{open_elements[-1]}>.{where}"
        if exc.code == expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]:
            found = re.match(rb"&([^;\s]*)", doc[parser.ErrorByteIndex:])
            name = found.group(1).decode("utf-8", "replace") if found else ""
            return f'Undeclared general entity "{name}"{where}'
        return f"{expat.ErrorString(exc.code)}{where}"


def check(text: str | None, cloud: bool) -> None:
    """Refuse a storage body Confluence could not parse, with its 400."""
    problem = _problem(text) if text else None
    if problem is None:
        return
    message = f"Error parsing xhtml: {problem}"
    raise Refusal(errors.bad_request(message) if cloud else errors.error(400, message))
