"""The journal's forms: an entry (quick or full) and a coordinator's issues and proposals."""

import hashlib

from django import forms
from django.db.models import Q
from django.utils import timezone

from activities.models import SupportGroup
from coordinators.models import Coordinator
from core import wareki
from core.forms import SearchableModelChoiceField, WarekiDateField
from core.privacy import personal_data_hints
from councils.models import Area, Council, Tier
from journal.models import SURVEY_CATEGORIES, ActivityKind, JournalEntry, YearNote

NO_PERSONAL_DATA = (
    "住民の氏名・電話番号・住所など、個人が分かることは書かないでください"
    "(「A地区の一人暮らしの高齢者」のように書きます)。"
)


class PersonalDataHintsMixin:
    """Warns, without refusing, when a text field looks like it holds a phone number or an
    address (``core.privacy``). The writer reads the warning and either edits the text or
    saves it as it is by sending back ``hints_seen`` (the digest of the hints they saw)."""

    hint_fields: tuple[str, ...] = ()

    def personal_data_hints(self):
        if not hasattr(self, "cleaned_data"):
            return []
        hints = []
        for name in self.hint_fields:
            for hint in personal_data_hints(self.cleaned_data.get(name) or ""):
                hints.append((self.fields[name].label, hint))
        return hints

    def hints_digest(self):
        texts = "\n".join(f"{label}:{hint.kind}:{hint.text}" for label, hint in self.hints)
        return hashlib.sha256(texts.encode()).hexdigest()[:16] if texts else ""

    @property
    def hints(self):
        if not hasattr(self, "_hints"):
            self._hints = self.personal_data_hints()
        return self._hints

    def hints_unseen(self):
        """Hints the writer has not yet seen: saving waits for them to look."""
        return bool(self.hints) and self.data.get("hints_seen") != self.hints_digest()


class JournalEntryForm(PersonalDataHintsMixin, forms.ModelForm):
    """An entry. The coordinator is the signed-in coordinator's placement (not a field), or,
    for an administrator, a choice."""

    hint_fields = ("summary", "outcome")

    done_on = WarekiDateField(label="日付")
    led_to = forms.MultipleChoiceField(
        label="つながった成果",
        required=False,
        choices=[(c.code, c.label) for c in SURVEY_CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        help_text="国の調査の項目。あてはまるものすべて",
    )

    class Meta:
        model = JournalEntry
        fields = ["done_on", "kind", "areas", "group", "council", "summary", "outcome"]
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"summary": NO_PERSONAL_DATA}

    def __init__(self, *args, author=None, areas=None, **kwargs):
        """``author``: the placement the entry is written as (the signed-in coordinator's, or
        an existing entry's); None lets an administrator choose. ``areas``: the areas one may
        tag (the writer's, and an edited entry's own)."""
        super().__init__(*args, label_suffix="", **kwargs)
        self.author = author
        if author is None:
            self.fields["coordinator"] = forms.ModelChoiceField(
                queryset=Coordinator.objects.order_by("number"),
                label="コーディネーター",
                initial=self.instance.coordinator_id,
            )
            self.order_fields(["coordinator", *self.Meta.fields])
        if areas is None:
            areas = Area.objects.all()
        # No kind chosen until the writer chooses one: a default would be recorded as a fact.
        self.fields["kind"].choices = [("", "選んでください"), *ActivityKind.choices]
        self.fields["areas"].queryset = areas
        self.fields["areas"].required = False
        self.fields["areas"].help_text = "団体・協議体を選ぶと、その圏域も入ります"
        self.fields["areas"].error_messages["invalid_choice"] = (
            "担当していない圏域は選べません。一覧にある圏域から選んでください。"
        )
        self.fields["group"] = SearchableModelChoiceField(
            SupportGroup.objects.filter(council__area__in=areas).select_related("council__area"),
            label="関係する団体",
            required=False,
            empty_label="(なし)",
        )
        self.fields["council"] = SearchableModelChoiceField(
            # The areas' tier-2 councils and the city-wide tier-1 council (no area).
            Council.objects.filter(tier__in=[Tier.FIRST, Tier.SECOND])
            .filter(Q(area__in=areas) | Q(area__isnull=True))
            .select_related("area"),
            label="関係する協議体",
            required=False,
            empty_label="(なし)",
        )
        self.fields["summary"].widget.attrs["maxlength"] = 1000
        self.fields["outcome"].widget.attrs["maxlength"] = 1000
        if not self.is_bound:
            if self.instance.pk:
                self.initial["led_to"] = [
                    c.code for c in SURVEY_CATEGORIES if getattr(self.instance, c.field)
                ]
            else:
                self.initial.setdefault("done_on", timezone.localdate())
                only = list(areas[:2])
                if len(only) == 1:
                    self.initial.setdefault("areas", only)

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError(
                "日付が未来です。活動記録には、した日を入力してください"
                f"(今日は{wareki.format_date(timezone.localdate())})。"
            )
        return done_on

    def clean(self):
        cleaned = super().clean()
        areas = set(cleaned.get("areas") or [])
        group, council = cleaned.get("group"), cleaned.get("council")
        if group is not None:
            areas.add(group.council.area)
        if council is not None and council.area is not None:
            areas.add(council.area)
        if not areas and "areas" not in self.errors:
            self.add_error(
                "areas", "圏域を1つ以上選んでください(団体や協議体を選んでも構いません)。"
            )
        cleaned["areas"] = sorted(areas, key=lambda area: area.position)
        return cleaned

    def save(self, commit=True):
        entry = super().save(commit=False)
        entry.coordinator = self.author or self.cleaned_data["coordinator"]
        chosen = set(self.cleaned_data.get("led_to") or [])
        for category in SURVEY_CATEGORIES:
            setattr(entry, category.field, category.code in chosen)
        if commit:
            entry.save()
            self.save_m2m()
        return entry


class YearNoteForm(PersonalDataHintsMixin, forms.ModelForm):
    hint_fields = ("issues_and_proposals",)

    class Meta:
        model = YearNote
        fields = ["issues_and_proposals"]
        widgets = {"issues_and_proposals": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
