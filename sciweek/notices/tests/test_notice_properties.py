"""Whatever is pasted or uploaded, the importer returns a draft (with warnings), never an exception.

``internal_error`` is how a failing step shows itself in a draft; these tests treat it as a failure,
so that hypothesis finds the bugs instead of the wrapper hiding them.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciweek.notices.extract import NoticeDraft, parse_notice, parse_notice_file
from sciweek.notices.tests.notice_samples import OWN_NOTICES, seed_text

FRAGMENTS = sorted({line for text in (seed_text(), *OWN_NOTICES.values()) for line in text.splitlines()})
MARKERS = [
    "一、",
    "2、",
    "（三）",
    "(4)",
    "5.",
    "⑥",
    "附件",
    "附件：",
    "注：",
    "牵头单位：",
    "配合单位：",
    "时间：",
    "地点：",
    "联系人：",
    "组  长：",
    "成  员：",
    "\t",
    "　",
    "“",
    "》",
    "〔2024〕",
    "至",
    "前",
    "下午下班前",
    "2024年",
    "5月",
    "31日",
    "16:00",
    "２０２４",
    "關於",
    "索引号：",
    "【打印】",
]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
PIECE = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(MARKERS),
    st.text(max_size=20),
    st.text(alphabet=CJK, max_size=12),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_sound(draft: NoticeDraft) -> None:
    assert isinstance(draft, NoticeDraft)
    result = draft.to_json()
    json.loads(json.dumps(result, ensure_ascii=False))
    assert "internal_error" not in draft.warning_codes(), draft.warnings
    for warning in result["warnings"]:
        assert warning["code"] and warning["message"]
    for deadline in result["deadlines"]:
        assert isinstance(deadline["due"], str) and deadline["due"][:4].isdigit()


@SETTINGS
@given(st.text())
def test_it_never_fails_on_arbitrary_text(text: str) -> None:
    assert_sound(parse_notice(text))


@SETTINGS
@given(st.lists(PIECE, max_size=60), st.sampled_from(["\n", "", " ", "。", "\n\n"]))
def test_it_never_fails_on_mixed_notice_fragments(pieces: list[str], joiner: str) -> None:
    assert_sound(parse_notice(joiner.join(pieces)))


@SETTINGS
@given(st.sampled_from(sorted(OWN_NOTICES)), st.integers(min_value=0), st.integers(min_value=0))
def test_it_never_fails_on_a_cut_or_shuffled_notice(name: str, cut: int, rotate: int) -> None:
    lines = OWN_NOTICES[name].splitlines()
    cut %= len(lines) + 1
    rotate %= len(lines) or 1
    assert_sound(parse_notice("\n".join(lines[:cut])))
    assert_sound(parse_notice("\n".join(lines[rotate:] + lines[:rotate])))


@SETTINGS
@given(
    st.binary(max_size=2000),
    st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.7\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
)
def test_it_never_fails_on_arbitrary_uploads(data: bytes, prefix: bytes) -> None:
    draft = parse_notice_file(prefix + data, "上传.bin")
    assert_sound(draft)
