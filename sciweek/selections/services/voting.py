"""The public vote: codes by text, votes counted exactly once, a live tally, voiding with a reason.

A voter proves a mobile number with a 6-digit code (5 minutes, at most 5 wrong tries, a new code only
after 60 s, daily caps per number and per address). Numbers are never stored: ``phone_key`` is an HMAC
of the number with the secret key. Each vote request locks the voter's row for the day (``VoterDay``)
before it counts what that voter already cast, so concurrent requests of one voter are counted in
turn and a rule ("1 vote per candidate per day") holds whatever arrives at once.

The vote is the platform's busiest write, so on PostgreSQL it runs as fixed statements (built once, at
import) in one transaction: the voter's code row and day row locked in one statement, the day's rules,
the votes and the tally increment in a second, then COMMIT; the selection is read with one narrow
statement (``vote_selection``). SQLite runs the same rules through the ORM.

Votes are public and follow the selection's vote window (``vote_from``/``vote_until``), not the
campaign's life cycle (``campaigns.lifecycle.check_open``): the window is what the public was told,
and a selection's vote may run after the week has ended.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sciweek.campaigns import lifecycle
from sciweek.campaigns.models import Campaign
from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.ratelimit import rate_limit_hit
from sciweek.core.sms import Outgoing, sms_queue
from sciweek.core.statements import loaded
from sciweek.orgs.validators import check_mobile

from ..captcha import captcha_ok, suspicious
from ..models import Nomination, Selection, TallyShard, Vote, VoteCode, VoterDay

CODE_TTL = dt.timedelta(minutes=5)
RESEND_AFTER = dt.timedelta(seconds=60)
MAX_WRONG_TRIES = 5
TALLY_SHARDS = 8
LOCK_VOTER = True  # the protection; a test switches it off to show the race it prevents
# Called inside the vote's transaction once the votes are written (tests widen the race window with it)
AFTER_CAST: Callable[[], None] | None = None


class VoteRefused(ValidationError):
    """Against the voting rules or outside the window: answered 409 with the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="rule")
        self.text = message


class VoteLimited(Exception):
    """Too many requests: answered 429 with the message."""

    def __init__(self, message: str, *, captcha: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.captcha = captcha


def phone_key(phone: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"vote:{phone}".encode(), hashlib.sha256).hexdigest()


def _code_hash(key: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{key}:{code}".encode(), hashlib.sha256).hexdigest()


def vote_open(selection: Selection, at: dt.datetime | None = None) -> bool:
    at = at or clock.now()
    return bool(
        selection.vote_enabled
        and selection.vote_from
        and selection.vote_until
        and selection.vote_from <= at < selection.vote_until
    )


_VOTE_FIELDS = (
    "id", "campaign_id", "title", "vote_enabled", "vote_from", "vote_until",
    "votes_per_candidate_per_day", "candidates_per_day",
)  # fmt: skip
_VOTE_SELECTION = (
    f"SELECT {', '.join('s.' + f for f in _VOTE_FIELDS)} FROM {Selection._meta.db_table} s "
    f"JOIN {Campaign._meta.db_table} c ON c.id = s.campaign_id WHERE s.id = %s AND c.status <> %s"
)


def _busy_cursor() -> Any:
    """A cursor for the busy path's fixed statements. On PostgreSQL it binds on the server and prepares
    each statement once per connection (connections persist, CONN_MAX_AGE), so PostgreSQL neither
    parses nor plans a vote's statements again: that was most of its CPU per vote. Behind a pooler in
    transaction mode, prepared statements need PgBouncer ≥ 1.21 with max_prepared_statements set, or
    SCIWEEK_PG_PREPARE=0."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg  # only on PostgreSQL

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def _run(cursor: Any, sql: str, params: Any) -> None:
    if connection.vendor != "postgresql" or not settings.SCIWEEK_PG_PREPARE:
        cursor.execute(sql, params)
        return
    # psycopg prepares only while the connection's threshold is set, and while it is set it also keeps
    # count of every other query (Django's client-side ones too): about 3 % more CPU per query on every
    # page. So it is set for these statements alone.
    conn = cursor.connection
    conn.prepare_threshold = 0
    try:
        cursor.execute(sql, params, prepare=True)
    finally:
        conn.prepare_threshold = None


def vote_selection(selection_id: int) -> Selection | None:
    """The selection with only what a vote needs (None when missing or its campaign is a draft), in one
    fixed statement: the public voting endpoints are the busiest of the platform."""
    with _busy_cursor() as cursor:
        _run(cursor, _VOTE_SELECTION, [selection_id, Campaign.Status.DRAFT.value])
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(_VOTE_FIELDS, row, strict=True))
    for name in ("vote_from", "vote_until"):  # SQLite keeps UTC without the zone
        if isinstance(values[name], str):
            values[name] = parse_datetime(values[name])
        if values[name] is not None and timezone.is_naive(values[name]):
            values[name] = timezone.make_aware(values[name], dt.UTC)
    values["vote_enabled"] = bool(values["vote_enabled"])
    return loaded(Selection, **values)


def _check_open(selection: Selection) -> None:
    if not selection.vote_enabled:
        raise VoteRefused(_("本次评选不开展网络投票。"))
    if not vote_open(selection):
        raise VoteRefused(_("不在投票时间内。"))


def _mobile(phone: str) -> str:
    phone = check_mobile(phone, field="phone", label=_("手机号"))
    if not (len(phone) == 11 and phone.startswith("1")):
        raise ValidationError({"phone": _("请填写11位手机号码。")})
    return phone


def vote_code_request(
    *, selection: Selection, phone: str, ip: str | None, captcha_id: str = "", captcha_answer: str = ""
) -> VoteCode:
    """Send a code to ``phone`` (429 VoteLimited when too soon, over a daily cap, or when the address
    looks suspicious and the picture check was not passed)."""
    _check_open(selection)
    phone = _mobile(phone)
    if suspicious(ip) and not captcha_ok(captcha_id, captcha_answer):
        raise VoteLimited(
            _("请先完成图形验证（计算图中算式）。") if not captcha_id else _("图形验证答案不正确，请重试。"),
            captcha=True,
        )
    key = phone_key(phone)
    now = clock.now()
    last = VoteCode.objects.filter(selection=selection, phone_key=key).order_by("-created_at").first()
    if last and now - last.created_at < RESEND_AFTER:
        wait = int((RESEND_AFTER - (now - last.created_at)).total_seconds()) + 1
        raise VoteLimited(_("验证码已发送，请%(wait)s秒后再获取。") % {"wait": wait})
    for scope, who, setting, default in (
        ("vote-code-phone", key[:32], "SCIWEEK_VOTE_CODE_PHONE_RATE", (5, 86400)),
        ("vote-code-ip", ip or "unknown", "SCIWEEK_VOTE_CODE_IP_RATE", (30, 86400)),
    ):
        over, _window = rate_limit_hit(scope=scope, key=who, setting=setting, default=default)
        if over:
            raise VoteLimited(_("今天获取验证码的次数已达上限，请明天再试。"))
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        row = VoteCode.objects.create(
            selection=selection,
            phone_key=key,
            code_hash=_code_hash(key, code),
            created_at=now,
            expires_at=now + CODE_TTL,
            ip=ip,
        )
        text = _("您正在参加“%(title)s”网络投票，验证码%(code)s，5分钟内有效。如非本人操作请忽略。") % {
            "title": selection.title,
            "code": code,
        }
        sms_queue(messages=[Outgoing(phone=phone, text=text, kind="vote_code")])
    return row


def _code_problem(selection: Selection, key: str, code: str, now: dt.datetime) -> str:
    """Inside the vote's transaction: what is wrong with the voter's newest code ("" when it matches).
    A wrong try is counted in the same transaction, which then commits without voting."""
    codes = VoteCode.objects.filter(selection=selection, phone_key=key)
    if LOCK_VOTER:  # the code row is the voter's lock too (the test switch turns both off)
        codes = codes.select_for_update()
    row = codes.order_by("-created_at").only("pk", "code_hash", "expires_at", "wrong_tries").first()
    if row is None or row.expires_at <= now:
        return _("验证码已过期或未获取，请重新获取。")
    if row.wrong_tries >= MAX_WRONG_TRIES:
        return _("验证码错误次数过多，请重新获取。")
    if not hmac.compare_digest(row.code_hash, _code_hash(key, (code or "").strip())):
        VoteCode.objects.filter(pk=row.pk).update(wrong_tries=F("wrong_tries") + 1)
        left = MAX_WRONG_TRIES - row.wrong_tries - 1
        return (
            _("验证码不正确，还可尝试%(left)s次。") % {"left": left}
            if left
            else _("验证码错误次数过多，请重新获取。")
        )
    return ""


_LOCK_VOTER_DAY = (
    "INSERT INTO selections_voterday (selection_id, phone_key, day) VALUES (%s, %s, %s) "
    "ON CONFLICT (selection_id, phone_key, day) DO UPDATE SET day = EXCLUDED.day"
)


def _lock_voter_day(selection: Selection, key: str, day: dt.date) -> None:
    """Create or lock the voter's row for the day in one statement (the upsert's update takes the lock)."""
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_VOTER_DAY, [selection.pk, key, day])


@dataclass(frozen=True)
class VoteResult:
    counted: list[int]


def votes_cast(
    *,
    selection: Selection,
    phone: str,
    code: str,
    candidate_ids: list[int],
    ip: str | None = None,
    user_agent: str = "",
) -> VoteResult:
    """Count the votes of one verified voter, all or none, within the day's rules (409 when over)."""
    _check_open(selection)
    phone = _mobile(phone)
    key = phone_key(phone)
    wanted = list(dict.fromkeys(int(c) for c in candidate_ids))
    if not wanted:
        raise ValidationError({"candidate_ids": _("请至少选择一位候选人。")})
    now = clock.now()
    day = timezone.localtime(now).date()
    if connection.vendor == "postgresql":
        _cast_postgres(selection, key, phone, code, day, now, wanted, ip, user_agent)
        return VoteResult(counted=wanted)
    candidates = set(
        Nomination.objects.filter(
            selection=selection, pk__in=wanted, status=Nomination.Status.SHORTLISTED
        ).values_list("pk", flat=True)
    )
    _check_candidates(wanted, candidates)
    # One transaction: the code checked (and a wrong try counted), the voter's day locked, the rules
    # checked against what the voter cast today, the votes and the tally written.
    with transaction.atomic():
        problem = _code_problem(selection, key, code, now)
        if not problem:
            _cast_locked(selection, key, phone, day, now, wanted, ip, user_agent)
    if problem:
        raise ValidationError({"code": problem})
    return VoteResult(counted=wanted)


def _check_candidates(wanted: list[int], shortlisted: set[int]) -> None:
    if missing := [c for c in wanted if c not in shortlisted]:
        raise ValidationError(
            {"candidate_ids": _("候选人不存在：%(ids)s") % {"ids": ", ".join(map(str, missing))}}
        )


def _rule_broken(selection: Selection, wanted: list[int], today: dict[int, int]) -> str:
    """What a day's rule refuses ("" when the votes are allowed), from the voter's votes of today."""
    for cid in wanted:
        if today.get(cid, 0) >= selection.votes_per_candidate_per_day:
            return _("今天已为该候选人投过%(n)s票，请明天再来。") % {
                "n": selection.votes_per_candidate_per_day
            }
    if len(set(today) | set(wanted)) > selection.candidates_per_day:
        return _("每人每天最多为%(n)s位候选人投票。") % {"n": selection.candidates_per_day}
    return ""


# --- the busy path on PostgreSQL: two statements and the commit, in one transaction -----------------
# (1) the voter's newest code row locked, the candidates checked and, only when the code matches, the
# voter's day row created or locked; (2) with both locks held, in a new statement (so its snapshot
# is taken after the locks), what the voter cast today counted, and, when the rules allow, the votes
# inserted and the tally incremented; (3) COMMIT. The ORM path (SQLite) does the same in eight round
# trips. A gunicorn worker's thread builds nothing per request: the statements are fixed text.

_VC, _VD, _V, _N, _T = (m._meta.db_table for m in (VoteCode, VoterDay, Vote, Nomination, TallyShard))
_PG_LOCK = (
    f"WITH c AS (SELECT id, code_hash, expires_at, wrong_tries FROM {_VC} "
    f"WHERE selection_id = %(s)s AND phone_key = %(k)s ORDER BY created_at DESC LIMIT 1 {{lock}}), "
    # d reads c, so the day row is locked after the code row: always in that order (no deadlock)
    f"d AS (INSERT INTO {_VD} (selection_id, phone_key, day) SELECT %(s)s, %(k)s, %(d)s::date FROM c "
    f"WHERE {{lock_day}} c.code_hash = %(h)s AND c.expires_at > %(now)s::timestamptz "
    f"AND c.wrong_tries < %(tries)s "
    f"ON CONFLICT (selection_id, phone_key, day) DO UPDATE SET day = EXCLUDED.day RETURNING 1) "
    f"SELECT c.id, c.code_hash, c.expires_at, c.wrong_tries, "
    f"ARRAY(SELECT id FROM {_N} WHERE selection_id = %(s)s AND id = ANY(%(w)s::bigint[]) "
    f"AND status = %(shortlisted)s), (SELECT count(*) FROM d) FROM (SELECT 1) AS one LEFT JOIN c ON true"
)
_PG_CAST = (
    f"WITH today AS (SELECT candidate_id, count(*) AS n FROM {_V} "
    f"WHERE selection_id = %(s)s AND phone_key = %(k)s AND day = %(d)s::date GROUP BY candidate_id), "
    f"ok AS (SELECT NOT EXISTS (SELECT 1 FROM today WHERE candidate_id = ANY(%(w)s::bigint[]) "
    f"AND n >= %(per)s) AND (SELECT count(*) FROM (SELECT candidate_id FROM today "
    f"UNION SELECT unnest(%(w)s::bigint[])) AS u) <= %(most)s AS ok), "
    f"ins AS (INSERT INTO {_V} (selection_id, candidate_id, phone_key, phone_block, day, at, ip, "
    f"user_agent, voided, void_reason) SELECT %(s)s, c, %(k)s, %(b)s, %(d)s::date, %(now)s::timestamptz, "
    f"%(ip)s::inet, %(ua)s, false, '' FROM unnest(%(w)s::bigint[]) AS c WHERE (SELECT ok FROM ok) "
    f"RETURNING 1), "
    # one random shard per request; rows locked in index order (ids sorted), the same in every
    # transaction, so two voters never deadlock
    f"t AS (UPDATE {_T} SET votes = votes + 1 WHERE shard = %(shard)s AND candidate_id = ANY(%(w)s::bigint[]) "
    f"AND (SELECT ok FROM ok) RETURNING candidate_id) "
    f"SELECT (SELECT ok FROM ok), ARRAY(SELECT candidate_id FROM t), "
    f"ARRAY(SELECT candidate_id FROM today), ARRAY(SELECT n FROM today), (SELECT count(*) FROM ins)"
)


def _cast_postgres(
    selection: Selection,
    key: str,
    phone: str,
    code: str,
    day: dt.date,
    now: dt.datetime,
    wanted: list[int],
    ip: str | None,
    user_agent: str,
) -> None:
    ids = sorted(wanted)
    params: dict[str, Any] = {
        "s": selection.pk,
        "k": key,
        "d": day,
        "now": now,
        "w": ids,
        "h": _code_hash(key, (code or "").strip()),
        "tries": MAX_WRONG_TRIES,
        "shortlisted": Nomination.Status.SHORTLISTED.value,
    }
    lock = ("FOR UPDATE", "") if LOCK_VOTER else ("", "false AND")
    problem = ""
    with transaction.atomic(), _busy_cursor() as cursor:
        _run(cursor, _PG_LOCK.format(lock=lock[0], lock_day=lock[1]), params)
        row_id, code_hash, expires_at, wrong_tries, shortlisted, _locked = cursor.fetchone()
        _check_candidates(wanted, set(shortlisted))
        if row_id is None or expires_at <= now:
            problem = _("验证码已过期或未获取，请重新获取。")
        elif wrong_tries >= MAX_WRONG_TRIES:
            problem = _("验证码错误次数过多，请重新获取。")
        elif not hmac.compare_digest(code_hash, params["h"]):
            cursor.execute(f"UPDATE {_VC} SET wrong_tries = wrong_tries + 1 WHERE id = %s", [row_id])
            left = MAX_WRONG_TRIES - wrong_tries - 1
            problem = (
                _("验证码不正确，还可尝试%(left)s次。") % {"left": left}
                if left
                else _("验证码错误次数过多，请重新获取。")
            )
        else:
            params.update(
                per=selection.votes_per_candidate_per_day,
                most=selection.candidates_per_day,
                b=phone[:7],
                ip=ip,
                ua=user_agent[:200],
                shard=random.randrange(TALLY_SHARDS),  # noqa: S311 — spreading writes, not a secret
            )
            _run(cursor, _PG_CAST, params)
            ok, reached, today_ids, today_n, _inserted = cursor.fetchone()
            if not ok:
                raise VoteRefused(_rule_broken(selection, wanted, dict(zip(today_ids, today_n, strict=True))))
            for cid in sorted(set(ids) - set(reached)):  # counter rows not prepared (tally_prepare): rare
                _tally_add(cid, votes=1)
            if AFTER_CAST is not None:
                AFTER_CAST()
    if problem:
        raise ValidationError({"code": problem})


def _cast_locked(
    selection: Selection,
    key: str,
    phone: str,
    day: dt.date,
    now: dt.datetime,
    wanted: list[int],
    ip: str | None,
    user_agent: str,
) -> None:
    if LOCK_VOTER:
        _lock_voter_day(selection, key, day)
    today: dict[int, int] = {}
    for cid in Vote.objects.filter(selection=selection, phone_key=key, day=day).values_list(
        "candidate_id", flat=True
    ):
        today[cid] = today.get(cid, 0) + 1
    if broken := _rule_broken(selection, wanted, today):
        raise VoteRefused(broken)
    Vote.objects.bulk_create(
        [
            Vote(
                selection=selection,
                candidate_id=cid,
                phone_key=key,
                phone_block=phone[:7],
                day=day,
                at=now,
                ip=ip,
                user_agent=user_agent[:200],
            )
            for cid in wanted
        ]
    )
    _tally_add_many(wanted)
    if AFTER_CAST is not None:
        AFTER_CAST()


def _tally_add_many(candidate_ids: list[int]) -> None:
    """One vote for each candidate, on one random shard, in one statement (rows locked in index order,
    the same for every transaction, so two voters never deadlock). The candidates it did not reach
    (their counter rows not there yet) are those missing from what the statement itself returned:
    asking again afterwards could see rows another voter created meanwhile and lose the vote."""
    shard = random.randrange(TALLY_SHARDS)  # noqa: S311 — spreading writes, not a secret
    marks = ", ".join(["%s"] * len(candidate_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE selections_tallyshard SET votes = votes + 1 WHERE shard = %s AND candidate_id IN ({marks}) "
            "RETURNING candidate_id",
            [shard, *candidate_ids],
        )
        reached = {row[0] for row in cursor.fetchall()}
    for cid in sorted(set(candidate_ids) - reached):  # rows not prepared (see tally_prepare): rare
        _tally_add(cid, votes=1)


def _tally_add(candidate_id: int, *, votes: int = 0, voided: int = 0) -> None:
    shard = random.randrange(TALLY_SHARDS)  # noqa: S311 — spreading writes, not a secret
    updated = TallyShard.objects.filter(candidate_id=candidate_id, shard=shard).update(
        votes=F("votes") + votes, voided=F("voided") + voided
    )
    if not updated:
        TallyShard.objects.bulk_create(
            [TallyShard(candidate_id=candidate_id, shard=s) for s in range(TALLY_SHARDS)],
            ignore_conflicts=True,
        )
        TallyShard.objects.filter(candidate_id=candidate_id, shard=shard).update(
            votes=F("votes") + votes, voided=F("voided") + voided
        )


_TALLY = (
    f"SELECT n.id, n.name, COALESCE(SUM(t.votes), 0), COALESCE(SUM(t.voided), 0) FROM {_N} n "
    f"LEFT JOIN {_T} t ON t.candidate_id = n.id WHERE n.selection_id = %s AND n.status IN (%s, %s) "
    f"GROUP BY n.id, n.name ORDER BY 3 DESC, n.id"
)


def tally(selection: Selection) -> list[dict[str, Any]]:
    """Valid and voided votes per candidate, from the counter rows (no count over the votes), in one
    fixed statement: the public page polls it."""
    with connection.cursor() as cursor:
        cursor.execute(
            _TALLY, [selection.pk, Nomination.Status.SHORTLISTED.value, Nomination.Status.WINNER.value]
        )
        rows = cursor.fetchall()
    return [
        {"candidate_id": cid, "name": name, "votes": int(votes), "voided": int(voided)}
        for cid, name, votes, voided in rows
    ]


def votes_void(*, actor: Any, selection: Selection, vote_ids: list[int], reason: str) -> int:
    """Void flagged votes (they stay, marked, and the public tally shows how many were voided)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写作废理由。")})
    lifecycle.check_open(selection.campaign, "setup")  # the organizer's write; votes follow the window
    with transaction.atomic():
        votes = list(
            Vote.objects.select_for_update()
            .filter(selection=selection, pk__in=vote_ids, voided=False)
            .values_list("pk", "candidate_id")
        )
        if not votes:
            return 0
        Vote.objects.filter(pk__in=[v[0] for v in votes]).update(voided=True, void_reason=reason[:200])
        per: dict[int, int] = {}
        for _pk, cid in votes:
            per[cid] = per.get(cid, 0) + 1
        for cid, n in sorted(per.items()):
            _tally_add(cid, votes=-n, voided=n)
        audit_log(
            actor=actor,
            action="selection.votes_void",
            obj=selection,
            after={"votes": len(votes), "per_candidate": per},
            note=reason,
        )
    return len(votes)


def tally_rebuild(selection: Selection) -> None:
    """Recount the counter rows from the votes (after a bulk load, or to repair): one row per candidate."""
    with transaction.atomic():
        TallyShard.objects.filter(candidate__selection=selection).delete()
        counts: dict[int, list[int]] = {}
        for cid, voided in Vote.objects.filter(selection=selection).values_list("candidate_id", "voided"):
            counts.setdefault(cid, [0, 0])[1 if voided else 0] += 1
        tally_prepare(list(counts))
        for cid, (v, x) in counts.items():
            TallyShard.objects.filter(candidate_id=cid, shard=0).update(votes=v, voided=x)


def tally_prepare(candidate_ids: list[int]) -> None:
    """A candidate's counter rows, made when it is shortlisted: the vote path then only updates rows
    (creating them on a first vote would make concurrent first votes deadlock on the unique index)."""
    TallyShard.objects.bulk_create(
        [TallyShard(candidate_id=cid, shard=s) for cid in sorted(candidate_ids) for s in range(TALLY_SHARDS)],
        ignore_conflicts=True,
    )
