"""The demo company behind ``kefu demo``: staff, 200 client organisations and months of cases.

A plain package, not a Django app. ``kefu.demo.builder.build_demo`` is the entry point;
the other modules hold the data it draws from (``names``, ``texts``, ``texts_en``) and
the steps it runs (``staff``, ``clients``, ``history``, ``sla``, ``promises``).
"""
