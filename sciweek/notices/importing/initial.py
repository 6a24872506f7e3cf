"""What the review screen starts from: the draft's values, the units they matched, and beside each
value the sentence of the notice it came from; plus the warnings to show on top."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sciweek.campaigns.models import NoticeImport
from sciweek.notices.extract.confidence import low_fields
from sciweek.orgs.matching import UnitIndex, UnitMatch, deadline_unit_names
from sciweek.orgs.models import UnitKind

from .plan import MAP, SKIP

# Deadlines no system record can judge (plans, nominations, registrations) become "other": done when the
# organizer confirms the unit, with a note (reminders/confirmations.py), so every kind has a real checker.
KIND_MAP = {
    "publicity": "publicity",
    "final_report": "final_report",
    "stat_table": "final_report",
    "staff": "staff",
    "activity_plan": "other",
    "nomination": "other",
    "registration": "other",
    "other": "other",
}
_VERB = re.compile(r"^(?:报送|提交|上报|报|发送|完成|组织|开展|推荐|确认|填报|填写)")


@dataclass
class ReviewInitial:
    main: dict[str, Any] = field(default_factory=dict)
    themes: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    stat_title: str = ""
    stat_footnote: str = ""
    min_source: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    theme_sources: list[str] = field(default_factory=list)
    activity_info: list[dict[str, Any]] = field(default_factory=list)
    deadline_info: list[dict[str, Any]] = field(default_factory=list)
    row_info: list[dict[str, Any]] = field(default_factory=list)
    issuer_matches: list[UnitMatch] = field(default_factory=list)
    addressee_matches: list[UnitMatch] = field(default_factory=list)
    unmatched_info: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    low: list[dict[str, str]] = field(default_factory=list)  # doubtful fields, to look at first
    low_keys: set[str] = field(default_factory=set)


def campaign_title(title: str | None, year: int | None, region_name: str) -> str:
    """ "关于举办2023年科技活动周的通知" → "2023年泗县科技活动周" (the name the platform shows)."""
    core = re.sub(r"^关于(?:举办|开展|组织|做好|印发)?", "", title or "")
    core = re.sub(r"(?:的)?(?:通知|实施方案|工作方案|方案)$", "", core).strip()
    m = re.match(r"^((?:19|20)\d{2}年)?(.*科技活动周)$", core)
    if not m:
        return f"{year}年{region_name}科技活动周" if year else f"{region_name}科技活动周"
    head, rest = m.group(1) or (f"{year}年" if year else ""), m.group(2)
    if region_name not in rest and not re.match(r"^(?:全国|[^年]{2,8}[省市县区])", rest):
        rest = region_name + rest
    return head + rest


def parse_due(value: str | None) -> tuple[dt.datetime | None, bool]:
    """ISO date or date-time from the draft → (naive local datetime, had a time)."""
    if not value:
        return None, False
    try:
        if "T" in value:
            return dt.datetime.fromisoformat(value), True
        return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(23, 59)), False
    except ValueError:
        return None, False


def guess_kind(name: str) -> str:
    rules = [
        (r"(?:镇|乡|街道)(?:人民政府|政府|办事处)?$", UnitKind.TOWN),
        (r"开发区|产业园|园区", UnitKind.DEVZONE),
        (r"(?:学会|协会|研究会)$", UnitKind.ASSOCIATION),
        (r"融媒体|发布|电视台|广播|报社|日报", UnitKind.MEDIA),
        (r"(?:学校|中学|小学|学院|大学|幼儿园)$", UnitKind.SCHOOL),
        (r"(?:公司|集团|厂)$", UnitKind.ENTERPRISE),
        (r"志愿", UnitKind.VOLUNTEER),
    ]
    return next((str(kind) for pattern, kind in rules if re.search(pattern, name)), str(UnitKind.DEPARTMENT))


class _Builder:
    def __init__(self, imp: NoticeImport, index: UnitIndex) -> None:
        self.imp, self.index, self.d = imp, index, imp.draft or {}
        self.out = ReviewInitial(sources=dict(self.d.get("sources") or {}))
        self.pending: dict[str, list[str]] = {}  # unmatched name -> where it appears

    def units(self, names: list[str], where: str) -> tuple[list[str], list[str], list[UnitMatch]]:
        """(selected unit ids, unmatched names, the matches) for a list of written names."""
        matches = self.index.match_all(names)
        ids = list(dict.fromkeys(str(u.pk) for m in matches for u in m.units))
        missing = [m.written for m in matches if not m.matched]
        for name in missing:
            self.pending.setdefault(name, []).append(where)
        return ids, missing, matches

    def build(self) -> ReviewInitial:
        self.main()
        self.themes()
        self.activities()
        self.deadlines()
        self.stat_form()
        self.unmatched()
        self.warnings()
        self.doubtful()
        return self.out

    def doubtful(self) -> None:
        """Fields the importer is least sure of (confidence below the threshold), in screen order."""
        confidence = self.d.get("confidence") or {}
        low = set(low_fields(confidence))
        self.out.low_keys = low
        for info_list, prefix in (
            (self.out.activity_info, "activities"),
            (self.out.deadline_info, "deadlines"),
        ):
            for i, info in enumerate(info_list):
                info["low"] = f"{prefix}[{i}]" in low
        names = {
            "title": ("通知标题", "basics"),
            "doc_number": ("文号", "basics"),
            "issue_date": ("发文日期", "basics"),
            "start_date": ("活动时间", "basics"),
            "theme": ("活动主题", "basics"),
            "issuers": ("发文单位", "parties"),
            "references": ("依据文件", "parties"),
            "contact": ("联系方式", "contact"),
            "stat_form": ("统计表", "stat-form"),
        }
        for key, (label, anchor) in names.items():
            if key in low:
                self.out.low.append({"label": label, "anchor": anchor, "key": key})
        for i, a in enumerate(self.d.get("activities") or []):
            if f"activities[{i}]" in low:
                self.out.low.append(
                    {"label": f"主要活动 {i + 1}「{a.get('title') or ''}」", "anchor": f"act-{i}"}
                )
        for i, dl in enumerate(self.d.get("deadlines") or []):
            if f"deadlines[{i}]" in low:
                self.out.low.append(
                    {"label": f"截止时间 {i + 1}（{dl.get('raw') or ''}）", "anchor": f"dl-{i}"}
                )

    def main(self) -> None:
        d, out, region = self.d, self.out, self.imp.region
        issuers, shorts = d.get("issuers") or [], d.get("issuer_short_names") or {}
        ids, pending = [], []
        for full in issuers:
            match = self.index.match(full)
            if not match.matched and shorts.get(full):
                match = self.index.match(shorts[full])
            out.issuer_matches.append(match)
            ids += [str(u.pk) for u in match.units]
            if not match.matched:
                pending.append(full)
                self.pending.setdefault(full, []).append("发文单位")
        _, _, out.addressee_matches = self.units(d.get("addressees") or [], "主送")
        contact = d.get("contact") or {}
        refs = [_reference_text(r) for r in d.get("references") or []]
        text = (d.get("sources") or {}).get("min_activities_per_unit", "")
        out.min_source = text
        out.main = {
            "title": campaign_title(d.get("title"), d.get("year"), region.name),
            "year": d.get("year"),
            "doc_number": d.get("doc_number") or "",
            "issue_date": d.get("issue_date"),
            "issuers": list(dict.fromkeys(ids)),
            "issuers_pending": "\n".join(pending),
            "issuer_text": "、".join(issuers),
            "addressees": "、".join(d.get("addressees") or []),
            "references": "\n".join(refs),
            "start_date": d.get("start_date"),
            "end_date": d.get("end_date"),
            "theme": d.get("theme") or "",
            "close_of_business": self.imp.close_of_business,
            "max_video_minutes": d.get("max_video_minutes"),
            "contact_person": contact.get("person") or "",
            "contact_phone": contact.get("phone") or "",
            "contact_email": contact.get("email") or "",
            "min_count": d.get("min_activities_per_unit"),
            "target_count": d.get("target_activities_per_unit"),
            "min_title": (
                "活动周期间开展专题活动（线上、线下均可）" if "线上" in text else "活动周期间开展专题活动"
            )
            if d.get("min_activities_per_unit")
            else "",
        }
        if contact.get("source"):
            out.sources["contact"] = contact["source"]

    def themes(self) -> None:
        items = self.d.get("content_theme_items") or [
            {"title": t, "body": "", "source": ""} for t in self.d.get("content_themes") or []
        ]
        self.out.themes = [{"title": t.get("title") or "", "body": t.get("body") or ""} for t in items]
        self.out.theme_sources = [t.get("source") or "" for t in items]

    def activities(self) -> None:
        for i, a in enumerate(self.d.get("activities") or []):
            number = a.get("number") or i + 1
            lead, lead_missing, lead_m = self.units(a.get("lead_units") or [], f"主要活动 {number} 牵头单位")
            coop, coop_missing, coop_m = self.units(
                a.get("cooperating_units") or [], f"主要活动 {number} 配合单位"
            )
            starts = a.get("starts_at")
            self.out.activities.append(
                {
                    "include": True,
                    "number": number,
                    "title": a.get("title") or "",
                    "lead_units": lead,
                    "cooperating_units": coop,
                    "lead_pending": "\n".join(lead_missing),
                    "cooperating_pending": "\n".join(coop_missing),
                    "lead_text": a.get("lead_text") or "",
                    "cooperating_text": a.get("cooperating_text") or "",
                    "content": a.get("content") or "",
                    "schedule_note": a.get("schedule") or "",
                    "starts_at": dt.datetime.fromisoformat(starts) if starts and "T" in starts else None,
                    "venue": a.get("venue") or "",
                }
            )
            self.out.activity_info.append(
                {
                    "source": a.get("source") or "",
                    "lead": lead_m,
                    "cooperating": coop_m,
                    "lead_text": a.get("lead_text") or "",
                    "cooperating_text": a.get("cooperating_text") or "",
                    "lead_etc": a.get("lead_units_etc"),
                    "cooperating_etc": a.get("cooperating_units_etc"),
                    "schedule": a.get("schedule") or "",
                    "announced": a.get("schedule_announced"),
                }
            )

    def deadlines(self) -> None:
        items = self.d.get("deadlines") or []
        duplicate_of = _duplicates(items)
        video = self.d.get("max_video_minutes")
        for i, dl in enumerate(items):
            due, _ = parse_due(dl.get("due"))
            names, etc = deadline_unit_names(dl.get("source") or "")
            ids, missing, matches = self.units(names, f"截止时间 {i + 1} 适用单位")
            if names and all(self.index.is_everyone(n) for n in names):
                ids, missing, matches = [], [], []
            notes = [f"原文：{dl.get('raw')}。"] if dl.get("raw") else []
            for j, k in duplicate_of.items():
                if k == i:
                    notes.append(
                        f"另有“{items[j].get('raw')}”的写法（截止时间 {j + 1}），已合并到本项，按本项时间执行。"
                    )
            if (
                video
                and KIND_MAP.get(dl.get("kind"), "other") == "final_report"
                and "影像资料" in (dl.get("covers") or [])
            ):
                notes.append(f"视频时长不超过{video}分钟。")
            what = re.sub(r"^本单位", "", (dl.get("what") or "").strip())
            self.out.deadlines.append(
                {
                    "include": i not in duplicate_of,
                    "kind": KIND_MAP.get(dl.get("kind"), "other"),
                    "title": (what if _VERB.match(what) else f"报送{what}")[:200] if what else "",
                    "due_at": due,
                    "close_of_business": bool(dl.get("close_of_business")),
                    "applies_to": ids,
                    "applies_pending": "\n".join(missing),
                    "description": "".join(notes),
                }
            )
            self.out.deadline_info.append(
                {
                    "source": dl.get("source") or "",
                    "raw": dl.get("raw") or "",
                    "units": matches,
                    "etc": etc,
                    "draft_kind": dl.get("kind"),
                    "merged_into": duplicate_of.get(i),
                    "names": names,
                }
            )

    def stat_form(self) -> None:
        form = self.d.get("stat_form") or {}
        self.out.stat_title = form.get("title") or ""
        self.out.stat_footnote = f"注：{form['note']}" if form.get("note") else ""
        for row in form.get("rows") or []:
            self.out.rows.append(
                {
                    "section": row.get("section") or "",
                    "label": row.get("label") or "",
                    "unit": row.get("unit") or "",
                }
            )
            self.out.row_info.append({"unit_inferred": row.get("unit_inferred")})

    def unmatched(self) -> None:
        for name, where in self.pending.items():
            suggestions = self.index.suggest(name)
            action = MAP if suggestions else (SKIP if set(where) == {"主送"} else "")
            self.out.unmatched.append(
                {
                    "name": name,
                    "action": action,
                    "unit": str(suggestions[0].pk) if suggestions else "",
                    "kind": guess_kind(name),
                    "add_alias": True,
                }
            )
            self.out.unmatched_info.append(
                {"name": name, "where": list(dict.fromkeys(where)), "suggestions": suggestions}
            )

    def warnings(self) -> None:
        out = self.out
        for w in self.d.get("warnings") or []:
            out.warnings.append({**w, "anchor": _anchor(w.get("field"))})
        if out.unmatched:
            names = _("、").join(u["name"] for u in out.unmatched)
            out.warnings.insert(
                0,
                {
                    "code": "units_unmatched",
                    "severity": "warning",
                    "anchor": "unmatched",
                    "message": _(
                        "%(count)s个单位名称在本地区单位名单中找不到：%(names)s。"
                        "请在“未匹配的单位”中对应已有单位、新建或忽略。"
                    )
                    % {"count": len(out.unmatched), "names": names},
                },
            )
        for i, info in enumerate(out.deadline_info):
            if info["merged_into"] is not None:
                out.warnings.append(
                    {
                        "code": "deadline_merged",
                        "severity": "info",
                        "anchor": f"dl-{i}",
                        "message": _(
                            "截止时间 %(n)s（%(raw)s）与截止时间 %(into)s "
                            "报送同样的材料，默认不单独创建要求，已合并到后者。"
                        )
                        % {"n": i + 1, "raw": info["raw"], "into": info["merged_into"] + 1},
                    }
                )
        samples = sorted(
            {
                u.name
                for a in out.activity_info
                for m in a["lead"] + a["cooperating"]
                for u in m.units
                if u.is_sample
            }
        )
        if samples:
            out.warnings.append(
                {
                    "code": "sample_units",
                    "severity": "info",
                    "anchor": "",
                    "message": _("匹配结果含示例单位（%(samples)s），导入真实单位名单后请核对。")
                    % {"samples": _("、").join(samples)},
                }
            )


def _duplicates(items: list[dict[str, Any]]) -> dict[int, int]:
    """Deadline j → the deadline k it repeats: same day, and k covers everything j covers (and more)."""
    found: dict[int, int] = {}
    for j, a in enumerate(items):
        covers = set(a.get("covers") or [])
        for k, b in enumerate(items):
            if k == j or k in found or not covers:
                continue
            if (
                str(a.get("due"))[:10] == str(b.get("due"))[:10]
                and covers < set(b.get("covers") or [])
                and KIND_MAP.get(a.get("kind")) == KIND_MAP.get(b.get("kind"))
            ):
                found[j] = k
                break
    return found


def _anchor(field_name: str | None) -> str:
    m = re.match(r"^(deadlines|activities)\[(\d+)\]", field_name or "")
    if m:
        return f"{'dl' if m.group(1) == 'deadlines' else 'act'}-{m.group(2)}"
    return _ANCHORS.get(field_name or "", "")


# Where on the review screen a warning's field (or a failed parser step) is shown.
_ANCHORS = {
    "title": "f-title",
    "year": "f-year",
    "issue_date": "f-issue_date",
    "start_date": "f-start_date",
    "end_date": "f-end_date",
    "theme": "f-theme",
    "contact": "contact",
    "activities": "activities",
    "deadlines": "deadlines",
    "stat_form": "stat-form",
    "header": "basics",
    "week": "basics",
    "parties": "parties",
    "rules": "deadlines",
}


def _reference_text(ref: dict[str, Any]) -> str:
    issued = "、".join(ref.get("issued_by") or [])
    number = f"（{ref['doc_number']}）" if ref.get("doc_number") else ""
    return f"{issued}《{ref.get('title') or ''}》{number}"


def build_initial(imp: NoticeImport, index: UnitIndex) -> ReviewInitial:
    return _Builder(imp, index).build()
