"""Model helpers every app uses."""

from django.db import models


class NaturalKeyManager(models.Manager):
    """A manager whose natural key is a single unique field, named by ``natural_key_field``.

    Fixtures name records by such keys (an area by its name, a coordinator by placement),
    never by primary key, so loading them twice changes nothing.
    """

    natural_key_field = "name"

    def get_by_natural_key(self, key):
        return self.get(**{self.natural_key_field: key})
