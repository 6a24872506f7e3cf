"""Import an official notice: upload → parse → (review) → create the campaign, all or nothing.

``notice_import_start`` stores the original and the parsed draft; ``notice_import_apply`` creates the
campaign, its content themes, main activities, requirements and statistics form, plus any units the
organizer chose to create, in one transaction through the campaigns / orgs services (each audited).
A ValidationError from any step rolls everything back; its keys name the review form's fields
(``act-2-lead_units``) and its messages name the item ("主要活动 3「牵头单位」：…").
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign, ContentTheme, NoticeImport
from sciweek.campaigns.services import activity_save, campaign_create, campaign_update, requirement_save
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.cleanup import cleanup_uploads_quietly, modified_before
from sciweek.core.files import UploadRejected, check_pending_cap, save_upload_streamed
from sciweek.notices.extract import NoticeFileError, parse_notice, read_notice_file
from sciweek.orgs.models import OrgUnit
from sciweek.orgs.services import unit_add_aliases, unit_create
from sciweek.reports.models import form_from_spec

from . import update
from .identity import campaign_diff, check_identity
from .plan import CREATE, MAP, ImportPlan, form_spec_from_rows

MAX_NOTICE_BYTES = 20 * 1024 * 1024
NOTICE_FOLDER = "notices/imports"  # the originals; a campaign created from one keeps its file here
MAX_TEXT_CHARS = 400_000
NOTICE_KINDS = frozenset({"docx", "pdf", "txt"})
FILE_LABEL = "通知文件"

# Labels for the campaign's fields, to name them in messages ("活动周「活动主题」：…").
FIELD_LABELS = {
    "title": "标题",
    "year": "年度",
    "theme": "活动主题",
    "start_date": "开始日期",
    "end_date": "结束日期",
    "doc_number": "文号",
    "issue_date": "发文日期",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "contact_email": "电子邮箱",
    "max_video_minutes": "视频时长上限",
    "close_of_business": "下班时间",
    "lead_units": "牵头单位",
    "cooperating_units": "配合单位",
    "number": "序号",
    "ends_at": "结束时间",
    "due_at": "截止时间",
    "kind": "类型",
    "target_count": "目标次数",
    "name": "单位名称",
}


def notice_import_start(
    *,
    actor: Any,
    region: OrgUnit,
    upload: Any = None,
    text: str = "",
    close_of_business: dt.time,
) -> NoticeImport:
    """Read an uploaded notice (type by content, ≤ 20 MB, zip bombs refused) or pasted text, parse it
    and keep the draft for review. Raises ValidationError({"file"|"text": Chinese message})."""
    cleanup_uploads_quietly()  # drafts nobody came back to
    stored_name, source_name, kind = "", "粘贴的通知全文", "paste"
    if upload is not None:
        try:
            check_pending_cap(pending=_pending_bytes(actor), incoming=getattr(upload, "size", 0) or 0)
            stored = save_upload_streamed(
                upload,
                storage=default_storage,
                folder=NOTICE_FOLDER,
                max_bytes=MAX_NOTICE_BYTES,
                allowed_kinds=NOTICE_KINDS,
                field_label=FILE_LABEL,
            )
        except UploadRejected as exc:
            raise ValidationError({"file": exc.message})
        stored_name, source_name, kind = stored.name, stored.original_name, stored.kind
        try:
            with default_storage.open(stored_name, "rb") as fh:
                text = read_notice_file(fh.read(), source_name)
        except NoticeFileError as exc:
            default_storage.delete(stored_name)
            raise ValidationError({"file": f"「{FILE_LABEL}」{exc}"})
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    field = "file" if upload is not None else "text"
    if not text.strip():
        if stored_name:
            default_storage.delete(stored_name)
        raise ValidationError(
            {field: _("通知内容为空：文件里没有可读取的文字。") if upload else _("请粘贴通知全文。")}
        )
    if len(text) > MAX_TEXT_CHARS:
        if stored_name:
            default_storage.delete(stored_name)
        raise ValidationError(
            {
                field: _("通知全文超过%(count)s万字，不像是一份通知，请检查文件。")
                % {"count": MAX_TEXT_CHARS // 10000}
            }
        )
    draft = parse_notice(text, close_of_business=close_of_business).to_json()
    try:
        with transaction.atomic():
            imp = NoticeImport.objects.create(
                token=secrets.token_urlsafe(18),
                owner=actor if getattr(actor, "pk", None) else None,
                region=region,
                source_name=source_name[:200],
                source_kind=kind,
                source_text=text,
                source_file=stored_name,
                close_of_business=close_of_business,
                draft=draft,
            )
            audit_log(
                actor=actor,
                action="notice_import.upload",
                obj=imp,
                unit_path=region.path,
                after={
                    "source": source_name,
                    "kind": kind,
                    "title": draft.get("title"),
                    "warnings": [w["code"] for w in draft.get("warnings", [])],
                },
            )
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return imp


DRAFT_KEPT = dt.timedelta(days=7)


def purge_stale(*, before: dt.datetime) -> list[str]:
    """Imports never turned into a campaign (drafts, discarded) created before `before`: the row (with
    the notice's text and draft) and the uploaded original. Also an original no row or campaign names
    any more (left by a crash between storing it and creating the row)."""
    removed = []
    # A draft is listed on the upload page for the organizer to come back to: kept a week at least.
    drafts_before = min(before, timezone.now() - DRAFT_KEPT)
    stale = NoticeImport.objects.filter(
        Q(status=NoticeImport.Status.DISCARDED, created_at__lt=before)
        | Q(status=NoticeImport.Status.DRAFT, created_at__lt=drafts_before)
    )
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            # Locked and checked again: the organizer may be creating the campaign right now.
            imp = stale.select_for_update(of=("self",)).select_related("region").filter(pk=pk).first()
            if imp is None:
                continue
            name = imp.source_file.name
            audit_log(
                actor="系统清理",
                action="notice_import.cleanup",
                obj=imp,
                unit_path=imp.region.path,
                before={"status": imp.status, "source_name": imp.source_name, "file": name},
                note="导入预览超过保留时间未创建活动周，已删除",
            )
            imp.delete()
            if name:
                transaction.on_commit(lambda name=name: _delete_unused_file(name))
        removed.append(f"通知导入 {imp.source_name}（{imp.get_status_display()}）")
    try:
        _dirs, files = default_storage.listdir(NOTICE_FOLDER)
    except (OSError, NotImplementedError):  # no upload yet
        return removed
    for file in files:
        name = f"{NOTICE_FOLDER}/{file}"
        if modified_before(default_storage, name, before) and _delete_unused_file(name):
            removed.append(f"通知原件 {name}（无对应记录）")
    return removed


def _delete_unused_file(name: str) -> bool:
    """Delete a stored notice unless an import or a campaign still names it."""
    if (
        NoticeImport.objects.filter(source_file=name).exists()
        or Campaign.objects.filter(notice_file=name).exists()
    ):
        return False
    default_storage.delete(name)
    return True


@transaction.atomic
def _pending_bytes(actor: Any) -> int:
    """Bytes of this person's uploaded notices still waiting at a review (drafts), for the cap."""
    if not getattr(actor, "pk", None):
        return 0
    total = 0
    names = NoticeImport.objects.filter(owner=actor, status=NoticeImport.Status.DRAFT).exclude(source_file="")
    for name in names.values_list("source_file", flat=True):
        try:
            total += default_storage.size(name)
        except OSError:
            continue  # already cleaned up
    return total


def notice_import_discard(*, actor: Any, notice_import: NoticeImport) -> None:
    imp = NoticeImport.objects.select_for_update().get(pk=notice_import.pk)
    if imp.status != NoticeImport.Status.DRAFT:
        raise ValidationError(_("此通知已经处理过，不能放弃。"))
    imp.status = NoticeImport.Status.DISCARDED
    imp.save(update_fields=["status"])
    audit_log(actor=actor, action="notice_import.discard", obj=imp, unit_path=imp.region.path)


def _prefixed(exc: ValidationError, key_prefix: str, label: str) -> ValidationError:
    """A service's {field: message} as {"act-2-lead_units": "主要活动 3「牵头单位」：message"}."""
    if not hasattr(exc, "error_dict"):
        return ValidationError({f"{key_prefix}__all__": [f"{label}：{m}" for m in exc.messages]})
    out: dict[str, list[str]] = {}
    for name, messages in exc.message_dict.items():
        shown = f"{label}「{FIELD_LABELS.get(name, name)}」" if name != "__all__" else label
        out[f"{key_prefix}{name}"] = [f"{shown}：{m}" for m in messages]
    return ValidationError(out)


def _resolve_units(actor: Any, region: OrgUnit, plan: ImportPlan) -> dict[str, list[OrgUnit]]:
    """Create / map the names the registry did not know; returns name → units (empty when left out)."""
    resolved: dict[str, list[OrgUnit]] = {}
    for r in plan.resolutions:
        label = f"未匹配单位「{r.name}」"
        if r.action == CREATE:
            try:
                unit = unit_create(actor=actor, parent=region, name=r.name, kind=r.kind)
            except ValidationError as exc:
                raise _prefixed(exc, f"unm-{r.index}-", label)
            resolved[r.name] = [unit]
        elif r.action == MAP:
            if r.unit is None or not r.unit.path.startswith(region.path):
                raise ValidationError(
                    {f"unm-{r.index}-unit": [_("%(label)s：请选择本地区的一个已有单位。") % {"label": label}]}
                )
            if r.add_alias:
                unit_add_aliases(actor=actor, unit=r.unit, aliases=[r.name])
            resolved[r.name] = [r.unit]
        else:
            resolved[r.name] = []
    return resolved


def _fresh(units: list[OrgUnit], pending: list[str], resolved: dict[str, list[OrgUnit]]) -> list[OrgUnit]:
    """Selected units plus resolved pending names, reloaded (creating a unit shifts its siblings' paths)."""
    ids = [u.pk for u in units] + [u.pk for n in pending for u in resolved.get(n, [])]
    found = OrgUnit.objects.in_bulk(list(dict.fromkeys(ids)))
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def notice_import_apply(
    *, actor: Any, notice_import: NoticeImport, plan: ImportPlan, identity: str = "", confirm: str = ""
) -> Campaign:
    """Create the campaign the organizer reviewed. All or nothing; refuses an import used before.

    When the region already has a campaign that year, ``identity`` says what to do (identity.py):
    ``update:<id>`` updates that campaign, ``separate`` creates one with a distinct title. An update
    is carried out only with ``confirm`` equal to the digest of its preview (update.py); otherwise
    ``UpdateNeedsConfirmation`` carries the preview to show."""
    with transaction.atomic():
        imp = (
            NoticeImport.objects.select_for_update(of=("self",))
            .select_related("region")
            .get(pk=notice_import.pk)
        )
        if imp.status == NoticeImport.Status.CREATED:
            raise ValidationError({"__all__": [_("此通知已经创建过活动周，不能重复创建。")]})
        if imp.status != NoticeImport.Status.DRAFT:
            raise ValidationError({"__all__": [_("此通知导入已放弃，请重新上传。")]})
        region = imp.region
        target = check_identity(region=region, plan=plan, choice=identity)
        shown = None
        if target is not None:
            target = Campaign.objects.select_for_update(of=("self",)).get(pk=target.pk)
            shown = update.preview(
                target, plan, campaign_diff(target, plan.fields, [t for t, _ in plan.themes], plan.issuers)
            )
            if confirm != shown.digest():
                raise UpdateNeedsConfirmation(shown, stale=bool(confirm))
        resolved = _resolve_units(actor, region, plan)
        if target is not None and shown is not None:
            return _update_existing(actor, imp, plan, target, resolved, shown)
        fields = dict(plan.fields, notice_text=imp.source_text, status=Campaign.Status.DRAFT)
        try:
            campaign = campaign_create(
                actor=actor,
                org_unit=region,
                issuers=_fresh(plan.issuers, plan.issuers_pending, resolved),
                content_themes=[t for t, _ in plan.themes],
                **fields,
            )
        except ValidationError as exc:
            raise _prefixed(exc, "", _("活动周"))
        for number, (_title, body) in enumerate(plan.themes, start=1):
            if body:
                ContentTheme.objects.filter(campaign=campaign, number=number).update(body=body)
        if imp.source_file:
            campaign.notice_file.name = imp.source_file.name
            campaign.save(update_fields=["notice_file"])
        for a in plan.activities:
            try:
                activity_save(
                    actor=actor,
                    campaign=campaign,
                    number=a.number,
                    title=a.title,
                    lead_units=_fresh(a.lead_units, a.lead_pending, resolved),
                    cooperating_units=_fresh(a.cooperating_units, a.cooperating_pending, resolved),
                    content=a.content,
                    starts_at=a.starts_at,
                    venue=a.venue,
                    schedule_note=a.schedule_note,
                    lead_text=a.lead_text,
                    cooperating_text=a.cooperating_text,
                )
            except ValidationError as exc:
                raise _prefixed(exc, f"act-{a.index}-", _("主要活动 %(n)s") % {"n": a.number})
        for r in plan.requirements:
            try:
                requirement_save(
                    actor=actor,
                    campaign=campaign,
                    kind=r.kind,
                    title=r.title,
                    due_at=r.due_at,
                    description=r.description,
                    due_is_close_of_business=r.close_of_business,
                    applies_to=_fresh(r.applies_to, r.applies_pending, resolved),
                    min_count=r.min_count,
                    target_count=r.target_count,
                )
            except ValidationError as exc:
                if r.index is None:
                    raise _prefixed(exc, "", _("活动次数要求"))  # target_count is a field of the main form
                raise _prefixed(
                    exc,
                    f"dl-{r.index}-",
                    _("截止时间 %(n)s「%(title)s」") % {"n": r.index + 1, "title": r.title},
                )
        form = None
        if plan.stat_rows:
            spec = form_spec_from_rows(
                plan.stat_title or f"{campaign.title}开展情况统计表", plan.stat_footnote, plan.stat_rows
            )
            form = form_from_spec(campaign=campaign, spec=spec)
            audit_log(
                actor=actor,
                action="form.create",
                obj=form,
                unit_path=region.path,
                after={"title": spec.title, "rows": [f"{r.code}:{r.label}（{r.unit}）" for r in spec.rows]},
            )
        imp.status, imp.campaign = NoticeImport.Status.CREATED, campaign
        imp.save(update_fields=["status", "campaign"])
        audit_log(
            actor=actor,
            action="notice_import.apply",
            obj=campaign,
            after=snapshot(campaign)
            | {
                "content_theme_bodies": [b for _, b in plan.themes],
                "units_created": [r.name for r in plan.resolutions if r.action == CREATE],
                "units_mapped": {r.name: str(r.unit) for r in plan.resolutions if r.action == MAP},
                "statistics_form": str(form) if form else None,
                "import": imp.token,
            },
        )
    return campaign


class UpdateNeedsConfirmation(ValidationError):
    """An update from a re-imported notice not yet confirmed (or confirmed on a preview that has since
    changed): ``preview`` is what it would do now."""

    def __init__(self, preview: update.UpdatePreview, *, stale: bool) -> None:
        self.preview = preview
        text = (
            _("更新内容在您确认后已有变化，请重新核对") if stale else _("请核对将要更新的内容，确认后再更新")
        )
        super().__init__(
            {"confirm": [_("%(text)s（确认码 %(code)s）") % {"text": text, "code": preview.digest()}]}
        )


def _update_existing(
    actor: Any,
    imp: NoticeImport,
    plan: ImportPlan,
    campaign: Campaign,
    resolved: dict[str, list[OrgUnit]],
    shown: update.UpdatePreview,
) -> Campaign:
    """The re-imported notice onto the existing campaign: its fields, issuers and content themes, then
    its main activities, requirements' deadlines and statistics form as previewed (update.py)."""
    before = snapshot(campaign)
    fields = {k: v for k, v in plan.fields.items() if k != "year"}
    issuers = _fresh(plan.issuers, plan.issuers_pending, resolved)
    try:
        campaign = campaign_update(
            actor=actor,
            campaign=campaign,
            version=None,
            issuers=issuers or None,
            content_themes=[t for t, _ in plan.themes] or None,
            notice_text=imp.source_text,
            **fields,
        )
    except ValidationError as exc:
        raise _prefixed(exc, "", _("活动周"))
    try:
        done = update.apply(
            actor=actor,
            campaign=campaign,
            plan=plan,
            shown=shown,
            units=lambda selected, pending: _fresh(selected, pending, resolved),
        )
    except ValidationError as exc:
        raise _prefixed(exc, "", _("更新"))
    imp.status = NoticeImport.Status.CREATED
    if not NoticeImport.objects.filter(campaign=campaign).exists():  # one import per campaign (OneToOne)
        imp.campaign = campaign
    imp.save(update_fields=["status", "campaign"])
    audit_log(
        actor=actor,
        action="notice_import.update",
        obj=campaign,
        before=before,
        after=snapshot(campaign) | {"changes": shown.shown(), "done": done},
        note=f"重新导入通知 {imp.token}",
    )
    return campaign


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))
