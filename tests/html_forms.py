"""What a browser posts back from a page's form, read from the page's HTML as a browser reads
it: a select whose value is not among its options posts its first option, an unchecked box
posts nothing, a disabled field is not sent. (Reading the form's Python values instead
would post back values that no browser can send.)"""

from html.parser import HTMLParser


class _FormsParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._fields = None
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._fields = []
            self.forms.append(self._fields)
        elif self._fields is None or "disabled" in attrs:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "select":
            self._select = {"name": attrs.get("name"), "multiple": "multiple" in attrs, "all": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attrs.get("value"), "selected": "selected" in attrs}
            self._option["text"] = ""
            self._select["all"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"name": attrs.get("name"), "text": ""}

    def _input(self, attrs):
        kind = attrs.get("type", "text").lower()
        name = attrs.get("name")
        if not name or kind in ("submit", "button", "image", "reset", "file"):
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self._fields.append((name, attrs.get("value", "on")))
            return
        self._fields.append((name, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._end_select()
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline that follows the opening tag.
            text = self._textarea["text"].removeprefix("\r\n").removeprefix("\n")
            if self._textarea["name"] and self._fields is not None:
                self._fields.append((self._textarea["name"], text))
            self._textarea = None

    def _end_select(self):
        select, self._select, self._option = self._select, None, None
        chosen = [option for option in select["all"] if option["selected"]]
        if not select["multiple"]:
            chosen = chosen[-1:] or select["all"][:1]
        if select["name"] and self._fields is not None:
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self._fields.append((select["name"], value.strip()))


def posted_form(html, *, submit=None):
    """The fields the page's main form (the one with the most fields) posts, as a dict of
    lists; `submit` names the button pressed."""
    parser = _FormsParser()
    parser.feed(html)
    fields = max(parser.forms, key=len, default=[])
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    if submit:
        data[submit] = [""]
    return data
