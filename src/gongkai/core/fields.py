"""A small multi-choice field that filters the same way on SQLite and PostgreSQL.

Ticks such as 公开层级 (县级 and 乡级) or 公开渠道 are sets of codes. ArrayField is
PostgreSQL-only and JSON containment is not supported on SQLite, so the set is
stored as ",a,b," text and filtered with `field__has="a"` (a LIKE on "%,a,%").
In Python the value is always a list of codes.
"""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Lookup


def encode(codes: Iterable[str] | str | None) -> str:
    if not codes:
        return ""
    if isinstance(codes, str):
        codes = decode(codes)
    unique = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    return "," + ",".join(unique) + "," if unique else ""


def decode(value: str | Iterable[str] | None) -> list[str]:
    """Turn stored ",a,b," (or "a,b", or a list) into ["a", "b"]."""
    if not value:
        return []
    if not isinstance(value, str):
        return list(dict.fromkeys(v for v in value if v))
    return list(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))


class CodeSetField(models.CharField):
    description = "A set of vocabulary codes"

    def __init__(self, *args, vocabulary: tuple[tuple[str, str], ...] = (), **kwargs):
        self.vocabulary = tuple(vocabulary)
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["vocabulary"] = self.vocabulary
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decode(value)

    def to_python(self, value):
        return decode(value)

    def get_prep_value(self, value):
        return encode(value)

    def value_to_string(self, obj):
        return encode(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")
        known = {code for code, _ in self.vocabulary}
        unknown = [v for v in value if known and v not in known]
        if unknown:
            raise ValidationError("未知的取值：%(v)s", params={"v": "、".join(unknown)})

    def run_validators(self, value):
        # CharField's max-length validator would measure the list, not the stored text.
        return super().run_validators(encode(value))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.vocabulary,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        # The admin maps every CharField to a text input; a set of codes needs checkboxes.
        if not isinstance(defaults["widget"], forms.CheckboxSelectMultiple) and not (
            isinstance(defaults["widget"], type)
            and issubclass(defaults["widget"], forms.CheckboxSelectMultiple)
        ):
            defaults["widget"] = forms.CheckboxSelectMultiple
        form_class = defaults.pop("form_class")
        for key in ("max_length", "empty_value", "choices_form_class"):
            defaults.pop(key, None)
        return form_class(**defaults)

    def labels(self, codes: Iterable[str]) -> list[str]:
        names = dict(self.vocabulary)
        return [names.get(c, c) for c in codes]


@CodeSetField.register_lookup
class HasCode(Lookup):
    """`levels__has="county"`: the stored set contains that code."""

    lookup_name = "has"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        code = "".join(ch for ch in str(self.rhs) if ch.isalnum() or ch in "-_")
        # "_" is a LIKE wildcard; codes use it (on_request), so escape it.
        pattern = "%," + code.replace("_", "\\_") + ",%"
        return f"{lhs} LIKE %s ESCAPE '\\'", [*lhs_params, pattern]
