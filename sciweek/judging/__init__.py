"""Judging, shared by the contest (四.3) and the 最美科技工作者 selection (四.4).

A ``Judging`` is one round (初评, 终评, …) owned by something of a higher domain, named by
``owner_kind`` ("contests.contest") and ``owner_id``: this package imports no domain above it.
What is judged are ``Item`` rows, each naming its object by (kind, id). Judges belong to one owner
(one contest or one selection). Criteria with weights, conflicts, assignment by a min-cost flow
(OR-Tools), scores with a version check, and aggregation live here.
"""
