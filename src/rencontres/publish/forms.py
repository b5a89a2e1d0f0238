"""The forms of a SPIP page, as a browser would submit them: SPIP's CVT forms carry hidden
`formulaire_action`, `formulaire_action_args` and `formulaire_action_sign`, checked against
the session (`ecrire/public/aiguiller.php`), so each is read from the page right before it
is posted. Pure: a page's text in, forms out."""

from __future__ import annotations

import html.parser
from dataclasses import dataclass, field


@dataclass
class Option:
    value: str
    text: str
    classes: str = ""
    selected: bool = False


@dataclass
class Form:
    action: str
    method: str
    # (name, value, type, checked): inputs, textareas and selects in their order
    fields: list[tuple[str, str, str, bool]] = field(default_factory=list)
    options: dict[str, list[Option]] = field(default_factory=dict)  # a select's, by name

    @property
    def name(self) -> str:
        """The CVT form's name (`formulaire_action`): "editer_article", "login"…"""
        return next((v for n, v, _, _ in self.fields if n == "formulaire_action"), "")

    def has(self, name: str) -> bool:
        return any(n == name for n, _, _, _ in self.fields)

    def values(self) -> dict[str, str]:
        """What the form posts as it stands: its hidden and text values, its textareas, the
        selected option of each select and the checked boxes (no submit button)."""
        out: dict[str, str] = {}
        for name, value, kind, checked in self.fields:
            if not name or kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and not checked:
                continue
            out[name] = value
        return out

    def radios(self, name: str) -> list[str]:
        return [v for n, v, k, _ in self.fields if n == name and k == "radio"]


class _Parser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: tuple[str, list[Option]] | None = None
        self.option: Option | None = None
        self.textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            self.form.fields.append((a.get("name", ""), a.get("value", ""),
                                     a.get("type", "text").lower(), "checked" in a))
        elif tag == "select":
            self.select = (a.get("name", ""), [])
        elif tag == "option" and self.select is not None:
            self.option = Option(a.get("value", ""), "", a.get("class", ""), "selected" in a)
            self.select[1].append(self.option)
        elif tag == "textarea":
            self.textarea = [a.get("name", "")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, options = self.select
            chosen = next((o.value for o in options if o.selected),
                          options[0].value if options else "")
            self.form.fields.append((name, chosen, "select", True))
            self.form.options[name] = options
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            text = "".join(self.textarea[1:])
            # a browser drops the one newline that follows <textarea> (HTML's rule)
            self.form.fields.append((self.textarea[0], text.removeprefix("\n"), "textarea",
                                     True))
            self.textarea = None
        elif tag == "form":
            self.form = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.append(data)
        elif self.option is not None:
            self.option.text += data


def forms(page: str) -> list[Form]:
    parser = _Parser()
    parser.feed(page)
    parser.close()
    return parser.forms


def form(page: str, name: str, having: str = "") -> Form | None:
    """The page's CVT form `name` (and, when several, the one holding field `having`)."""
    return next((f for f in forms(page) if f.name == name and (not having or f.has(having))),
                None)
