"""
`{% kept %}`: a piece of a reader page rendered once per server process and kept until what
it shows changes (newsroom/fragments.py).

    {% kept "more-from" article.pk section=article.section_id %}…{% endkept %}

The quoted name and the values after it name the piece (anything the piece shows differently
must be among them); each `kind=value` is a page-cache key the piece depends on besides
`site` (`section:3`).
"""

from django import template

from ..fragments import fragment

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, nodelist, name, keys):
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context):
        name = tuple(part.resolve(context) for part in self.name)
        keys = tuple(f"{kind}:{value.resolve(context)}" for kind, value in self.keys)
        return fragment(context.get("request"), name, keys, lambda: self.nodelist.render(context))


@register.tag
def kept(parser, token):
    bits = token.split_contents()[1:]
    if not bits or bits[0][0] not in "\"'":
        raise template.TemplateSyntaxError("{% kept %} takes a quoted name first.")
    name, keys = [], []
    for bit in bits:
        kind, equals, value = bit.partition("=")
        if equals:
            keys.append((kind, parser.compile_filter(value)))
        else:
            name.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, name, keys)
