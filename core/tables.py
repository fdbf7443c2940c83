"""Table columns every app uses, and the one way a table reads the request."""

import django_tables2 as tables
from django.core.paginator import EmptyPage

from core.http import parse_id
from core.templatetags.wareki import wareki, wareki_month
from core.wareki import format_month


class WarekiDateColumn(tables.Column):
    """A date shown in 和暦 with the Western date at hand; exported as a real date."""

    def __init__(self, *args, month=False, **kwargs):
        self.month = month
        super().__init__(*args, **kwargs)

    def render(self, value):
        return (wareki_month if self.month else wareki)(value)

    def value(self, value):
        """A real date; a month (``month=True``) as era text, 平成30年2月, never the first
        day of the month written as a date."""
        if self.month:
            return format_month(value) if value else None
        return value


class StrictRequestConfig(tables.RequestConfig):
    """django-tables2's RequestConfig reading only what a page's links send: ``?sort=`` naming
    a sortable column (``-`` for descending) and ``?page=`` as ASCII digits
    (``core.http.parse_id``). ``?per_page=`` is not read: a page size is the view's choice
    (bench/README.md), and ``-1`` or a huge one broke the page."""

    def configure(self, table):
        table.request = self.request
        sortable = {column.name for column in table.columns if column.orderable}
        order_by = [
            value
            for value in self.request.GET.getlist(table.prefixed_order_by_field)
            if value.removeprefix("-") in sortable
        ]
        if order_by:
            table.order_by = order_by
        if self.paginate:
            options = dict(self.paginate) if hasattr(self.paginate, "items") else {}
            options.pop("silent", None)
            page = parse_id(self.request.GET.get(table.prefixed_page_field))
            if page:
                options["page"] = page
            try:
                table.paginate(**options)
            except EmptyPage:
                table.page = table.paginator.page(table.paginator.num_pages)
        return table


class SingleTableMixin(tables.SingleTableMixin):
    """django-tables2's SingleTableMixin configured by ``StrictRequestConfig``."""

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        return StrictRequestConfig(
            self.request, paginate=self.get_table_pagination(table)
        ).configure(table)
