"""The needs survey (地域ニーズ調査): the 13 help categories and how a community classifies them."""

from django.db import models
from django.db.models import Q

from councils.models import Opinion


class Classification(models.TextChoices):
    """How a council judges a kind of help: groups start from what they can do (できる)."""

    CAN = "can", "できる"
    NEEDS_INGENUITY = "ingenuity", "工夫必要"
    DIFFICULT = "difficult", "難しい"


class HelpCategoryManager(models.Manager):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class HelpCategory(models.Model):
    """One of the 13 kinds of help residents asked for (手伝ってほしいこと), ①–⑬."""

    number = models.PositiveSmallIntegerField("番号", unique=True)
    name = models.CharField("項目", max_length=50, unique=True)
    # Declared here rather than on Opinion so that councils does not depend on needs_survey.
    opinions = models.ManyToManyField(
        Opinion, related_name="help_categories", blank=True, verbose_name="関連する意見"
    )

    objects = HelpCategoryManager()

    class Meta:
        verbose_name = "手伝ってほしいこと(項目)"
        verbose_name_plural = "手伝ってほしいこと(項目)"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1), name="needs_survey_helpcategory_number_positive"
            ),
        ]

    def __str__(self):
        return f"{self.circled_number}{self.name}"

    def natural_key(self):
        return (self.number,)

    @property
    def circled_number(self):
        """①–⑳ as the report writes them."""
        if 1 <= self.number <= 20:
            return chr(0x2460 + self.number - 1)
        return f"({self.number})"
