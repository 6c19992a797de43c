"""``{% kept_html key %}…{% end_kept_html %}``: a block of a page kept in Django's cache as
it was rendered, under ``key`` (``relance.summary.keys.kept``); rendered every time when
the key is None.

The view that gives the key answers for it: the key must name everything the block shows
(the data version, the language, what the user may see, the request's choices), so that
two renderings under one key are the same HTML. The signed-in dashboard's figures
(relance/views/home.py) are such a block: a third of a millisecond to fetch, where their
template took most of the page's time.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from relance.summary.keys import kept

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, key: FilterExpression, nodelist: NodeList) -> None:
        self.key = key
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        key = self.key.resolve(context)
        return mark_safe(kept(key or None, lambda: str(self.nodelist.render(context))))


@register.tag
def kept_html(parser: Parser, token: Token) -> KeptNode:
    name, *bits = token.split_contents()
    if len(bits) != 1:
        raise template.TemplateSyntaxError(f"{name} takes one argument: the cache key")
    nodelist = parser.parse(("end_kept_html",))
    parser.delete_first_token()
    return KeptNode(parser.compile_filter(bits[0]), nodelist)
