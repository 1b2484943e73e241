"""What is not the main content of a web page, and which tags are inline: data for `html.py`.

After the boilerplate rules of readability and trafilatura: navigation, page header and footer,
sidebars, forms, scripts and styles are dropped before the text is read.
"""

from __future__ import annotations

import re

DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg",
             "iframe", "button", "select", "head", "menu", "dialog", "object", "canvas")
DROP_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog")
# class or id words of boilerplate blocks
DROP_NAMES = re.compile(r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|footer|sidebar|cookies?|cookie-banner|breadcrumbs?"
                        r"|share|social|related|newsletter|skip-link)(?:$|[\s_-])", re.IGNORECASE)
MAIN_XPATHS = ("//main", "//*[@role='main']", "//article")
INLINE_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img", "ins",
    "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LISTS = ("ul", "ol")
