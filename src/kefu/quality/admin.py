"""Administrators adapt the SERVQUAL wording per business and the QA rubric's weights."""

from django.contrib import admin

from kefu.quality.models import QaCriterion, ServqualItem


@admin.register(ServqualItem)
class ServqualItemAdmin(admin.ModelAdmin[ServqualItem]):
    list_display = ["business", "number", "dimension", "text_zh", "text_en"]
    list_filter = ["business", "dimension"]
    search_fields = ["text_zh", "text_en"]
    ordering = ["business", "number"]


@admin.register(QaCriterion)
class QaCriterionAdmin(admin.ModelAdmin[QaCriterion]):
    list_display = ["code", "weight", "position", "is_active"]
    list_editable = ["weight", "position", "is_active"]
    ordering = ["position"]
