"""The form renderer: Django's own widget templates, except that <select> is written in Python.

Django renders each <option> of a select through two template includes. With Iwaki's 13 areas
that costs nothing, but at a hundred times the size (1,300 areas, 1,500 groups) the filter and
form selects took most of a page's time: 2,000 options cost about 100 ms of template rendering
(README, "Load test"). ``FormRenderer`` writes the same HTML (same attributes in the same
order, same escaping) by plain string building, many times faster, and leaves every other
widget to the templates. ``NameSelect`` (core.forms) goes further for the district and
area lists, skipping Django's per-option dicts too.

An option whose widget names its own template (``option_template_name``) is still rendered
through it, so a custom option keeps working.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html
from django.utils.safestring import mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def escape_html(value):
    """Django's conditional_escape without its lazy-string wrapper (called twice per option)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def attrs_html(attrs):
    """Attributes as Django's attrs.html writes them, in the same order: ``name="value"``,
    a bare ``name`` for True, nothing for False."""
    if not attrs:
        return ""
    if attrs == {"selected": True}:  # nearly every option that has attributes
        return " selected"
    return "".join(
        f" {name}" if value is True else f' {name}="{escape_html(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            return self.render_select(context["widget"], request)
        return super().render(template_name, context, request)

    def render_select(self, widget, request=None):
        lines = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(format_html('  <optgroup label="{}">', group_name))
            for option in options:
                if option["template_name"] == OPTION_TEMPLATE:
                    # Plain string building: format_html per option costs as much as the rest.
                    lines.append(
                        f'  <option value="{escape_html(option["value"])}"'
                        f"{attrs_html(option['attrs'])}>"
                        f"{escape_html(option['label'])}</option>"
                    )
                else:
                    rendered = super().render(option["template_name"], {"widget": option}, request)
                    lines.append(mark_safe("  " + rendered))  # noqa: S308 - rendered by a template
            if group_name:
                lines.append(mark_safe("  </optgroup>"))
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            widget["name"],
            mark_safe(attrs_html(widget["attrs"])),  # noqa: S308 - escaped in attrs_html
            mark_safe("\n".join(lines)),  # noqa: S308 - every line escaped above
        )
