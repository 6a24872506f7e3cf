"""The review screen's state: initial values from the draft and the unit matching, the bound forms,
every error named by its item ("主要活动 3「牵头单位」：…"), and the :class:`ImportPlan` they yield."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.models import NoticeImport
from sciweek.orgs.matching import UnitIndex

from .forms import (
    ActivityFormSet,
    DeadlineFormSet,
    ReviewForm,
    StatRowFormSet,
    ThemeFormSet,
    UnitChoices,
    UnmatchedFormSet,
    split_pending,
)
from .initial import ReviewInitial, build_initial
from .plan import CREATE, MAP, SKIP, ActivityPlan, ImportPlan, RequirementPlan, Resolution, StatRowPlan

DAY_END = dt.time(23, 59)


@dataclass
class Review:
    imp: NoticeImport
    index: UnitIndex
    initial: ReviewInitial
    data: Any = None
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        units = UnitChoices(self.index.units)
        d, ini = self.data, self.initial
        self.main = ReviewForm(d, initial=ini.main, units=units)
        self.themes = ThemeFormSet(d, initial=ini.themes, prefix="theme")
        self.activities = ActivityFormSet(
            d, initial=ini.activities, prefix="act", form_kwargs={"units": units}
        )
        self.deadlines = DeadlineFormSet(d, initial=ini.deadlines, prefix="dl", form_kwargs={"units": units})
        self.rows = StatRowFormSet(d, initial=ini.rows, prefix="row")
        self.unmatched = UnmatchedFormSet(
            d, initial=ini.unmatched, prefix="unm", form_kwargs={"units": units}
        )

    @classmethod
    def for_import(cls, imp: NoticeImport, data: Any = None) -> Review:
        index = UnitIndex(imp.region)
        return cls(imp=imp, index=index, initial=build_initial(imp, index), data=data)

    # -- for the template: each form beside what the notice said --------------------------------------
    @staticmethod
    def _with(forms: list[Any], infos: list[Any]) -> list[tuple[Any, Any]]:
        return [(f, infos[i] if i < len(infos) else {}) for i, f in enumerate(forms)]

    def theme_rows(self) -> list[tuple[Any, Any]]:
        return self._with(self.themes.forms, self.initial.theme_sources)

    def activity_rows(self) -> list[tuple[Any, Any]]:
        return self._with(self.activities.forms, self.initial.activity_info)

    def deadline_rows(self) -> list[tuple[Any, Any]]:
        return self._with(self.deadlines.forms, self.initial.deadline_info)

    def stat_rows(self) -> list[tuple[Any, Any]]:
        return self._with(self.rows.forms, self.initial.row_info)

    def unmatched_rows(self) -> list[tuple[Any, Any]]:
        return self._with(self.unmatched.forms, self.initial.unmatched_info)

    # -- validation ----------------------------------------------------------------------------------
    def is_valid(self) -> bool:
        sets = [self.themes, self.activities, self.deadlines, self.rows, self.unmatched]
        ok = self.main.is_valid()
        ok = all([s.is_valid() for s in sets]) and ok  # every form validated, so every error is shown
        if any(s.management_form.errors for s in sets):
            self.errors.append("页面数据不完整，请刷新后重新审核。")
            return False
        self._cross_check()  # also when other sections have errors: every problem is listed at once
        self._collect()
        return ok and not self.errors

    def _resolutions(self) -> dict[str, str]:
        return {
            c["name"]: c.get("action") or ""
            for f in self.unmatched.forms
            if (c := getattr(f, "cleaned_data", None)) and c.get("name")
        }

    def _cross_check(self) -> None:
        actions = self._resolutions()

        def counts(form, units: str, pending: str) -> bool:
            kept = [
                n for n in split_pending(form.cleaned_data.get(pending)) if actions.get(n) in (MAP, CREATE)
            ]
            return bool(form.cleaned_data.get(units)) or bool(kept)

        numbers: dict[int, int] = {}
        for i, form in enumerate(self.activities.forms):
            if not getattr(form, "cleaned_data", {}).get("include"):
                continue
            if not counts(form, "lead_units", "lead_pending"):
                form.add_error("lead_units", _("请至少选择一个牵头单位。"))
            number = form.cleaned_data.get("number")
            if number in numbers:
                form.add_error(
                    "number",
                    _("序号 %(number)s 与第 %(other)s 项重复。")
                    % {"number": number, "other": numbers[number] + 1},
                )
            numbers.setdefault(number, i)
        if self.activities.forms and not any(
            getattr(f, "cleaned_data", {}).get("include") for f in self.activities.forms
        ):
            self.errors.append("请至少保留一项主要活动（可在创建后再补充）。")

    def _collect(self) -> None:
        """Every form error, named by section and item, for the list at the top of the page."""
        labels = self.main.fields
        for name, errs in self.main.errors.items():
            where = f"「{labels[name].label}」" if name in labels else ""
            self.errors += [f"基本信息{where}：{e}" for e in errs]
        for i, form in enumerate(self.themes.forms):
            if not _deleted(form):
                self._form_errors(form, f"主要内容 {i + 1}")
        for i, form in enumerate(self.activities.forms):
            number = form.cleaned_data.get("number") if hasattr(form, "cleaned_data") else None
            self._form_errors(form, f"主要活动 {number or i + 1}")
        for i, form in enumerate(self.deadlines.forms):
            self._form_errors(form, f"截止时间 {i + 1}")
        for i, form in enumerate(self.rows.forms):
            if not _deleted(form):
                self._form_errors(form, f"统计表第 {i + 1} 行")
        for form in self.unmatched.forms:
            self._form_errors(form, f"未匹配单位「{form['name'].value() or ''}」")
        for s in (self.themes, self.activities, self.deadlines, self.rows, self.unmatched):
            self.errors += list(s.non_form_errors())

    def _form_errors(self, form, label: str) -> None:
        for name, errs in form.errors.items():
            where = (
                f"「{form.fields[name].label}」" if name in form.fields and form.fields[name].label else ""
            )
            self.errors += [f"{label}{where}：{e}" for e in errs]

    def attach(self, exc: ValidationError) -> None:
        """A service error keyed "act-2-lead_units" goes beside that field and into the list on top."""
        for key, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            self.errors += messages
            prefix, _, rest = key.partition("-")
            target = {"act": self.activities, "dl": self.deadlines, "unm": self.unmatched}.get(prefix)
            if target is not None and "-" in rest:
                index, _, name = rest.partition("-")
                form = (
                    target.forms[int(index)] if index.isdigit() and int(index) < len(target.forms) else None
                )
                if form is not None and name in form.fields:
                    form.errors.setdefault(name, form.error_class()).extend(messages)
            elif key in self.main.fields:
                self.main.errors.setdefault(key, self.main.error_class()).extend(messages)

    # -- the plan ----------------------------------------------------------------------------------
    def plan(self) -> ImportPlan:
        m = self.main.cleaned_data
        fields = {
            k: m[k]
            for k in ("title", "year", "theme", "start_date", "end_date", "issue_date", "close_of_business")
        }
        fields |= {
            k: (m.get(k) or "").strip()
            for k in (
                "doc_number",
                "issuer_text",
                "addressees",
                "contact_person",
                "contact_phone",
                "contact_email",
            )
        }
        fields["references"] = [
            line.strip() for line in (m.get("references") or "").splitlines() if line.strip()
        ]
        if m.get("max_video_minutes"):
            fields["max_video_minutes"] = m["max_video_minutes"]
        actions = self._resolutions()
        keep = lambda names: [n for n in names if actions.get(n) in (MAP, CREATE)]  # noqa: E731
        themes = [
            (c["title"].strip(), (c.get("body") or "").strip())
            for f in self.themes.forms
            if (c := getattr(f, "cleaned_data", None)) and c.get("title") and not c.get("DELETE")
        ]
        activities = [
            ActivityPlan(
                index=i,
                number=c["number"],
                title=c["title"].strip(),
                lead_units=f.units_of("lead_units"),
                cooperating_units=f.units_of("cooperating_units"),
                lead_pending=keep(split_pending(c.get("lead_pending"))),
                cooperating_pending=keep(split_pending(c.get("cooperating_pending"))),
                lead_text=c.get("lead_text") or "",
                cooperating_text=c.get("cooperating_text") or "",
                content=c.get("content") or "",
                schedule_note=c.get("schedule_note") or "",
                starts_at=c.get("starts_at"),
                venue=c.get("venue") or "",
            )
            for i, f in enumerate(self.activities.forms)
            if (c := f.cleaned_data).get("include")
        ]
        requirements = [
            RequirementPlan(
                index=i,
                kind=c["kind"],
                title=c["title"].strip(),
                due_at=c["due_at"],
                description=c.get("description") or "",
                close_of_business=bool(c.get("close_of_business")),
                applies_to=f.units_of("applies_to"),
                applies_pending=keep(split_pending(c.get("applies_pending"))),
            )
            for i, f in enumerate(self.deadlines.forms)
            if (c := f.cleaned_data).get("include")
        ]
        if m.get("min_count"):
            requirements.append(
                RequirementPlan(
                    index=None,
                    kind="min_events",
                    title=(m.get("min_title") or "").strip() or "活动周期间开展专题活动",
                    due_at=timezone.make_aware(dt.datetime.combine(m["end_date"], DAY_END)),
                    description=self.initial.min_source,
                    min_count=m["min_count"],
                    target_count=m.get("target_count"),
                )
            )
        rows = [
            StatRowPlan(
                section=(c.get("section") or "").strip(),
                label=c["label"].strip(),
                unit=(c.get("unit") or "").strip(),
            )
            for f in self.rows.forms
            if (c := getattr(f, "cleaned_data", None)) and c.get("label") and not c.get("DELETE")
        ]
        resolutions = [
            Resolution(
                index=i,
                name=c["name"],
                action=c["action"] or SKIP,
                unit=next(iter(f.units_of("unit")), None),
                kind=c.get("kind") or "",
                add_alias=bool(c.get("add_alias")),
            )
            for i, f in enumerate(self.unmatched.forms)
            if (c := f.cleaned_data)
        ]
        return ImportPlan(
            fields=fields,
            issuers=self.main.units_of("issuers"),
            issuers_pending=keep(split_pending(m.get("issuers_pending"))),
            themes=themes,
            activities=activities,
            requirements=requirements,
            stat_title=self.initial.stat_title,
            stat_footnote=self.initial.stat_footnote,
            stat_rows=rows,
            resolutions=resolutions,
        )


def _deleted(form: Any) -> bool:
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))
