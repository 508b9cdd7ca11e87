from django.contrib import admin

from kefu.workforce.models import (
    AgentContract,
    Forecast,
    HistoryInterval,
    Queue,
    Schedule,
    ScheduledShift,
)


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin[Queue]):
    list_display = ["name", "channel", "team", "interval_minutes", "service_level", "shrinkage"]


@admin.register(HistoryInterval)
class HistoryIntervalAdmin(admin.ModelAdmin[HistoryInterval]):
    list_display = ["queue", "interval_start", "offered", "answered", "abandoned", "aht_seconds"]
    list_filter = ["queue"]


@admin.register(AgentContract)
class AgentContractAdmin(admin.ModelAdmin[AgentContract]):
    list_display = ["user", "max_hours_per_week", "max_days_per_week", "available_from"]


@admin.register(Forecast)
class ForecastAdmin(admin.ModelAdmin[Forecast]):
    list_display = ["queue", "start", "days", "method", "backtest_wape", "created_at"]


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin[Schedule]):
    list_display = ["team", "week_start", "status", "created_at", "published_at"]


@admin.register(ScheduledShift)
class ScheduledShiftAdmin(admin.ModelAdmin[ScheduledShift]):
    list_display = ["schedule", "agent", "start", "end"]
