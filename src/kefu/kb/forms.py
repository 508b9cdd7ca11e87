"""Forms of the knowledge-base pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.kb.models import Article, Audience, Category, Section


class ArticleForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.select_related("section")
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    slug = forms.SlugField(
        label=_("Address on the help pages"),
        max_length=120,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the English title when left empty."),
    )
    title_zh = forms.CharField(label=_("Chinese title"), max_length=200, required=False)
    body_zh = forms.CharField(
        label=_("Chinese text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("English text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].label_from_instance = (  # type: ignore[attr-defined]
            lambda category: f"{category.section} / {category}"
        )

    @classmethod
    def for_article(cls, article: Article) -> ArticleForm:
        return cls(
            initial={
                "category": article.category_id,
                "audience": article.audience,
                "slug": article.slug,
                "title_zh": article.title_zh,
                "title_en": article.title_en,
                "body_zh": article.body_zh,
                "body_en": article.body_en,
                "version": article.version,
            }
        )


class PreviewForm(forms.Form):
    body_zh = forms.CharField(required=False)
    body_en = forms.CharField(required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What should change"), max_length=300, required=False)


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image"))


class SynonymForm(forms.Form):
    words = forms.CharField(
        label=_("Words that mean the same"),
        max_length=300,
        help_text=_("Separate them with spaces or commas, e.g. 退货, 退换货, 退款"),
    )


class SectionForm(forms.Form):
    slug = forms.SlugField(label=_("Address"), max_length=80)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=120)
    name_en = forms.CharField(label=_("English name"), max_length=120, required=False)


class CategoryForm(SectionForm):
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.all())


class InsertForm(forms.Form):
    article = forms.IntegerField()
    mode = forms.ChoiceField(choices=[("link", "link"), ("text", "text")])
    body = forms.CharField(required=False, strip=False)


class ProposeForm(forms.Form):
    message = forms.IntegerField()


class FeedbackForm(forms.Form):
    helpful = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")])
