"""Template helpers for the site's one table template (templates/django_tables2/table.html)."""

from django import template

register = template.Library()


@register.simple_tag
def is_row_header(table, column) -> bool:
    """Whether ``column`` heads its rows (<th scope="row">): the table's ``row_header`` column
    when it names one, else the first column shown."""
    name = getattr(table, "row_header", None)
    if name:
        return column.name == name
    first = next(iter(table.columns), None)
    return first is not None and column.name == first.name
