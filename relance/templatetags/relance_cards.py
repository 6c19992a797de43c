"""The cards a page repeats, each written once and filled in where it is used.

``{% chart_card %}`` is a dashboard card: a title with a link, a chart and the table of its
figures (templates/relance/_chart_card.html)::

    {% chart_card key="history" title=_("…") url=… url_label=_("…") caption=_("…") %}
      <div class="chart-box"><canvas …></canvas></div>
    {% chart_table %}
      <thead>…</thead><tbody>…</tbody>
    {% end_chart_card %}

``{% table_card %}`` is a card with a table of rows, or a word when there are none
(templates/includes/_table_card.html)::

    {% table_card rows=rounds empty=_("…") icon="bi-calendar2-week" %}
      <thead>…</thead><tbody>…</tbody>
    {% end_table_card %}

Both only lay out what the page gives them.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context

register = template.Library()


class CardNode(template.Node):
    def __init__(
        self, template_name: str, kwargs: dict[str, FilterExpression], parts: dict[str, NodeList]
    ) -> None:
        self.template_name = template_name
        self.kwargs = kwargs
        self.parts = parts

    def render(self, context: Context) -> str:
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        values.update({name: nodes.render(context) for name, nodes in self.parts.items()})
        card = context.template.engine.get_template(self.template_name)  # type: ignore[union-attr]
        with context.push(**values):
            return card.render(context)


def _kwargs(parser: Parser, token: Token) -> dict[str, FilterExpression]:
    name, *bits = token.split_contents()
    kwargs = template.base.token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(f"{name} takes only name=value arguments")
    return kwargs


@register.tag
def chart_card(parser: Parser, token: Token) -> CardNode:
    kwargs = _kwargs(parser, token)
    figure = parser.parse(("chart_table",))
    parser.delete_first_token()
    table = parser.parse(("end_chart_card",))
    parser.delete_first_token()
    return CardNode("relance/_chart_card.html", kwargs, {"figure": figure, "table": table})


@register.tag
def table_card(parser: Parser, token: Token) -> CardNode:
    kwargs = _kwargs(parser, token)
    table = parser.parse(("end_table_card",))
    parser.delete_first_token()
    return CardNode("includes/_table_card.html", kwargs, {"table": table})
