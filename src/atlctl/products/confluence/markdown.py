"""A small Markdown to Confluence storage format converter for --markdown: headings, paragraphs,
emphasis, inline code, links, bullet and numbered lists, block quotes, rules and fenced code (as
Confluence's code macro). Text is escaped: what is not Markdown stays literal."""

from __future__ import annotations

import re
from html import escape

_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)|(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"),
     lambda m: f"<em>{m.group(1) or m.group(2)}</em>"),
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)"), r'<a href="\2">\1</a>'),
]


def _inline(text: str) -> str:
    out = escape(text, quote=False)
    for pattern, replacement in _INLINE:
        out = pattern.sub(replacement, out)
    return out


def to_storage(markdown: str) -> str:
    lines = markdown.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    paragraph: list[str] = []
    list_kind: str | None = None

    def flush() -> None:
        nonlocal list_kind
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if list_kind:
            out.append(f"</{list_kind}>")
            list_kind = None

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = re.match(r"^```\s*([\w+-]*)\s*$", line)
        if fence:
            flush()
            code = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                code.append(lines[i])
                i += 1
            language = f'<ac:parameter ac:name="language">{fence.group(1)}</ac:parameter>' if fence.group(1) else ""
            body = "\n".join(code).replace("]]>", "]]]]><![CDATA[>")
            out.append(f'<ac:structured-macro ac:name="code">{language}<ac:plain-text-body><![CDATA[{body}]]>'
                       "</ac:plain-text-body></ac:structured-macro>")
        elif m := re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line):
            flush()
            out.append(f"<h{len(m.group(1))}>{_inline(m.group(2))}</h{len(m.group(1))}>")
        elif re.match(r"^\s*([-*_])(\s*\1){2,}\s*$", line):
            flush()
            out.append("<hr />")
        elif m := re.match(r"^\s*(?:([-*+])|\d+[.)])\s+(.*)$", line):
            kind = "ul" if m.group(1) else "ol"
            if paragraph or list_kind != kind:
                flush()
                out.append(f"<{kind}>")
                list_kind = kind
            out.append(f"<li>{_inline(m.group(2))}</li>")
        elif m := re.match(r"^>\s?(.*)$", line):
            flush()
            out.append(f"<blockquote><p>{_inline(m.group(1))}</p></blockquote>")
        elif not line.strip():
            flush()
        else:
            if list_kind:
                flush()
            paragraph.append(line.strip())
        i += 1
    flush()
    return "".join(out)
