"""A school's entry: validated field by field, stored with its files in one transaction.

Refusals name the field as the form shows it: ``students.3.name`` for a 4th student of a collective
entry, the same for a student already in another entry, ``students.N.school_stage`` for mixed stages,
``files.novelty`` for a missing 查新报告, ``files.video`` for a video over 3 minutes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_open, is_open
from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.files import UploadRejected, check_video, save_upload_streamed
from sciweek.orgs.models import OrgUnit, UnitKind

from .models import Category, Contest, Entry, EntryFile, SchoolStage, StageCode, Student
from .scrub import scrub_metadata

MAX_VIDEO_SECONDS = 180
FILE_KINDS = {
    "report": {"pdf", "docx"},
    "form": {"pdf", "docx"},
    "novelty": {"pdf", "docx"},
    "photo": {"jpeg", "png", "webp"},
    "video": {"mp4", "mov", "webm"},
    "image": {"jpeg", "png", "webp"},
}
FILE_LIMITS = {"video": 200 * 1024 * 1024, "photo": 10 * 1024 * 1024, "image": 20 * 1024 * 1024}


@dataclass
class StudentIn:
    name: str
    grade: str
    school_stage: str
    age: int | None = None


@dataclass
class EntryIn:
    category: Category
    title: str
    abstract: str = ""
    discipline: str = ""
    collective: bool = False
    students: list[StudentIn] = field(default_factory=list)
    tutors: list[str] = field(default_factory=list)
    completed_on: Any = None


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def check_entry(
    *, contest: Contest, school: OrgUnit, data: EntryIn, files: dict[str, list]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    cat = data.category
    if cat.contest_id != contest.pk:
        _add(errors, "category", _("请选择本届大赛的参赛类别。"))
        return errors
    if school.kind != UnitKind.SCHOOL:
        _add(errors, "school", _("只有学校可以为学生报名。"))
    if not data.title.strip():
        _add(errors, "title", _("请填写作品名称。"))
    elif len(data.title) > 100:
        _add(errors, "title", _("作品名称不能超过 100 字。"))
    if cat.disciplines and data.discipline not in cat.disciplines:
        _add(
            errors,
            "discipline",
            _("请选择「%(category)s」的学科：%(disciplines)s。")
            % {"category": cat.name, "disciplines": "、".join(cat.disciplines)},
        )
    if (
        contest.work_from
        and data.completed_on
        and not (contest.work_from <= data.completed_on <= contest.work_to)
    ):
        _add(
            errors,
            "completed_on",
            _("作品须在 %(start)s 至 %(end)s 之间完成。")
            % {"start": f"{contest.work_from:%Y年%m月%d日}", "end": f"{contest.work_to:%Y年%m月%d日}"},
        )
    if cat.kind == Category.Kind.TUTOR:
        if data.students:
            _add(errors, "students", _("科技辅导员类别由教师申报，不填学生。"))
        if not [t for t in data.tutors if t.strip()]:
            _add(errors, "tutors", _("请填写申报教师姓名。"))
    else:
        _check_students(errors, contest, school, cat, data)
    for kind in cat.required_attachments:
        if not files.get(kind):
            _add(
                errors,
                f"files.{kind}",
                _("缺少「%(file)s」，「%(category)s」必须提交。")
                % {"file": EntryFile.Kind(kind).label, "category": cat.name},
            )
    return errors


def _check_students(errors: dict, contest: Contest, school: OrgUnit, cat: Category, data: EntryIn) -> None:
    students = data.students
    if not students:
        _add(errors, "students", _("请至少填写一名学生。"))
        return
    limit = cat.max_students if data.collective else 1
    if len(students) > limit:
        extra = students[limit]
        what = (
            _("集体项目最多 %(n)s 名学生") % {"n": limit} if data.collective else _("个人项目只能有 1 名学生")
        )
        _add(
            errors,
            f"students.{limit}.name",
            _("%(rule)s，第 %(n)s 名学生「%(name)s」不能加入。")
            % {"rule": what, "n": limit + 1, "name": extra.name},
        )
    seen: set[tuple[str, str]] = set()
    first_stage = students[0].school_stage
    stage_names = dict(SchoolStage.choices)
    for i, s in enumerate(students):
        key = f"students.{i}"
        if not s.name.strip():
            _add(errors, f"{key}.name", _("第 %(n)s 名学生：请填写姓名。") % {"n": i + 1})
            continue
        if s.school_stage not in stage_names:
            _add(errors, f"{key}.school_stage", _("学生「%(name)s」：请选择学段。") % {"name": s.name})
            continue
        if cat.school_stages and s.school_stage not in cat.school_stages:
            allowed = "、".join(str(stage_names[x]) for x in cat.school_stages)
            _add(
                errors,
                f"{key}.school_stage",
                _("学生「%(name)s」为%(stage)s，「%(category)s」只限%(allowed)s。")
                % {
                    "name": s.name,
                    "stage": stage_names[s.school_stage],
                    "category": cat.name,
                    "allowed": allowed,
                },
            )
        if s.school_stage != first_stage:
            _add(
                errors,
                f"{key}.school_stage",
                _("集体项目的学生须为同一学段：「%(name)s」与「%(first)s」学段不同。")
                % {"name": s.name, "first": students[0].name},
            )
        if cat.min_age is not None and (s.age is None or not cat.min_age <= s.age <= cat.max_age):
            _add(
                errors,
                f"{key}.age",
                _("学生「%(name)s」：「%(category)s」限 %(min)s–%(max)s 岁。")
                % {"name": s.name, "category": cat.name, "min": cat.min_age, "max": cat.max_age},
            )
        if (s.name, s.grade) in seen:
            _add(errors, f"{key}.name", _("学生「%(name)s」在本作品中填写了两次。") % {"name": s.name})
        seen.add((s.name, s.grade))
        other = (
            Student.objects.filter(contest=contest, school=school, grade=s.grade, name=s.name.strip())
            .select_related("entry")
            .first()
        )
        if other is not None:
            _add(
                errors,
                f"{key}.name",
                _("学生「%(name)s」（%(grade)s）已在作品「%(title)s」中，每名学生每届只能参加一件作品。")
                % {"name": s.name, "grade": s.grade, "title": other.entry.title},
            )


def _store(entry: Entry, kind: str, upload: Any) -> EntryFile:
    label = f"{EntryFile.Kind(kind).label}"
    seconds: list[float] = []

    def validate(path: str, found: Any) -> None:
        if kind == "video":
            seconds.append(check_video(path, max_seconds=MAX_VIDEO_SECONDS, field_label=label))
        scrub_metadata(path, found.kind)  # author / GPS / camera never reach a blind judge

    stored = save_upload_streamed(
        upload,
        storage=default_storage,
        folder=f"contests/{entry.contest_id}",
        max_bytes=FILE_LIMITS.get(kind, 30 * 1024 * 1024),
        allowed_kinds=FILE_KINDS[kind],
        field_label=label,
        validate=validate,
    )
    return EntryFile.objects.create(
        entry=entry,
        kind=kind,
        file=stored.name,
        name=stored.original_name,
        size=stored.size,
        seconds=seconds[0] if seconds else None,
    )


def signup_closed(contest: Contest) -> str | None:
    """Why a school cannot enter a work today (by the clock), or None: outside the contest's 报名 stage an
    entry would miss 资格审查 and the judges' assignment and wait unjudged (a contest without a 报名 stage
    leaves it to the campaign's life cycle). The organizer's own writes are not held to it."""
    stage = next((s for s in contest.stages.all() if s.code == StageCode.SIGNUP), None)
    if stage is None or not is_open(contest.campaign, "setup"):  # a closed campaign: check_open's reason
        return None
    today = clock.localdate()
    if today < stage.starts_on:
        return _("报名将于%(date)s开始。") % {"date": format(stage.starts_on, _("%Y年%-m月%-d日"))}
    if today > stage.ends_on:
        return _("报名已于%(date)s截止，不能再报名新作品。") % {
            "date": format(stage.ends_on, _("%Y年%-m月%-d日"))
        }
    return None


def entry_create(
    *, contest: Contest, school: OrgUnit, data: EntryIn, files: dict[str, list], actor: Any
) -> Entry:
    """Validate everything, then store the entry, its students and its files — all or nothing.

    A closed campaign takes no new entry: "setup" is open until it closes (the sign-up stage runs weeks
    before the week, while the campaign may still be a draft or just published)."""
    check_open(contest.campaign, "setup")
    errors = check_entry(contest=contest, school=school, data=data, files=files)
    if errors:
        raise ValidationError(errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                contest=contest,
                category=data.category,
                school=school,
                title=data.title.strip(),
                abstract=data.abstract.strip(),
                discipline=data.discipline,
                collective=data.collective and len(data.students) > 1,
                tutors=[t.strip() for t in data.tutors if t.strip()],
                completed_on=data.completed_on,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            Student.objects.bulk_create(
                Student(
                    entry=entry,
                    contest=contest,
                    school=school,
                    name=s.name.strip(),
                    grade=s.grade,
                    school_stage=s.school_stage,
                    age=s.age,
                )
                for s in data.students
            )
            for kind, uploads in files.items():
                for upload in uploads:
                    try:
                        stored.append(_store(entry, kind, upload).file.name)
                    except UploadRejected as exc:
                        raise ValidationError({f"files.{kind}": [exc.message]})
            audit_log(
                actor=actor,
                action="contest.entry.create",
                obj=entry,
                unit_path=school.path,
                after={"title": entry.title, "category": data.category.name, "students": len(data.students)},
            )
    except Exception:
        for name in stored:  # nothing half-written: files of a refused entry go too
            default_storage.delete(name)
        raise
    return entry


@transaction.atomic
def entry_veto(*, entry: Entry, reason: str, actor: Any) -> Entry:
    """一票否决: the entry leaves every round, with the reason recorded."""
    check_open(entry.contest.campaign, "setup")
    if not reason.strip():
        raise ValidationError({"reason": _("一票否决须填写理由。")})
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    before = {"status": entry.status}
    entry.status, entry.veto_reason = Entry.Status.VETOED, reason.strip()[:300]
    entry.version += 1
    entry.save(update_fields=["status", "veto_reason", "version"])
    from sciweek.judging.models import Item

    Item.objects.filter(kind="contests.entry", object_id=entry.pk).update(excluded=True)
    audit_log(
        actor=actor,
        action="contest.entry.veto",
        obj=entry,
        before=before,
        after={"reason": entry.veto_reason},
    )
    return entry


@transaction.atomic
def entry_qualify(*, entry: Entry, actor: Any) -> Entry:
    check_open(entry.contest.campaign, "setup")
    if entry.status == Entry.Status.VETOED:
        raise ValidationError({"__all__": _("该作品已被一票否决。")})
    entry.status = Entry.Status.QUALIFIED
    entry.version += 1
    entry.save(update_fields=["status", "version"])
    audit_log(actor=actor, action="contest.entry.qualify", obj=entry)
    return entry
