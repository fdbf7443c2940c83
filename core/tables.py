"""Table columns every app uses."""

import django_tables2 as tables

from core.templatetags.wareki import wareki, wareki_month


class WarekiDateColumn(tables.Column):
    """A date shown in 和暦 with the Western date at hand; exported as a real date."""

    def __init__(self, *args, month=False, **kwargs):
        self.month = month
        super().__init__(*args, **kwargs)

    def render(self, value):
        return (wareki_month if self.month else wareki)(value)

    def value(self, value):
        return value
