"""Source health: figures per run and source, rules that say ok / degraded / broken and why, alerts, backoff.

collector.py (the figures, fed batch by batch) <- observe.py (from the stage models); rules.py (every rule and
threshold); alerts.py (when to tell, Prefect events, the report's section); notify.py (webhooks, Apprise);
backoff.py (when a broken source is read again); task.py (what the flows call); settings.py (alert targets).
"""
