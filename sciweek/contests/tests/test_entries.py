"""A school's entry: every refusal names its field; nothing is half-stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sciweek.contests.demo import pdf_file, png_file
from sciweek.contests.duplicates import similar_pairs
from sciweek.contests.entries import EntryIn, StudentIn, entry_create, entry_veto
from sciweek.contests.models import Entry, EntryFile, Student
from sciweek.judging.models import Item
from sciweek.reports.tests.report_files import mp4_bytes

pytestmark = pytest.mark.django_db


def project_files(*kinds):
    return {k: [pdf_file("t", k)] for k in kinds}


def junior(contest, title="水火箭射程影响因素", students=None, collective=False, files=None, **kw):
    cat = contest.categories.get(code="junior")
    students = students or [StudentIn("王浩然", "八年级", "junior")]
    data = EntryIn(
        category=cat, title=title, discipline="物理学", students=students, collective=collective, **kw
    )
    return entry_create(
        contest=contest,
        school=contest.schools["cz1"],
        data=data,
        files=files if files is not None else project_files("report", "form", "novelty"),
        actor="test",
    )


def errors_of(fn):
    with pytest.raises(ValidationError) as exc:
        fn()
    return exc.value.message_dict


def test_it_stores_a_collective_entry_with_its_students_and_files(bare_contest):
    students = [StudentIn(n, "八年级", "junior") for n in ("王浩然", "李欣怡", "张子涵")]
    entry = junior(bare_contest, students=students, collective=True, tutors=["陈老师"])
    assert entry.collective and entry.students.count() == 3
    assert set(entry.attachments.values_list("kind", flat=True)) == {"report", "form", "novelty"}


def test_a_fourth_student_in_a_collective_entry_is_refused_by_name(bare_contest):
    students = [StudentIn(n, "八年级", "junior") for n in ("王浩然", "李欣怡", "张子涵", "赵一诺")]
    errors = errors_of(lambda: junior(bare_contest, students=students, collective=True))
    assert "赵一诺" in errors["students.3.name"][0] and "最多 3 名" in errors["students.3.name"][0]
    assert not Entry.objects.exists() and not Student.objects.exists()


def test_a_student_in_two_entries_is_refused(bare_contest):
    junior(bare_contest, title="第一件作品")
    errors = errors_of(lambda: junior(bare_contest, title="第二件作品"))
    assert "已在作品「第一件作品」中" in errors["students.0.name"][0]


def test_mixed_school_stages_are_refused(bare_contest):
    students = [StudentIn("王浩然", "八年级", "junior"), StudentIn("李欣怡", "高一", "senior")]
    errors = errors_of(lambda: junior(bare_contest, students=students, collective=True))
    assert any("同一学段" in m for m in errors["students.1.school_stage"])


def test_a_missing_novelty_report_is_refused(bare_contest):
    errors = errors_of(lambda: junior(bare_contest, files=project_files("report", "form")))
    assert "查新报告" in errors["files.novelty"][0]


def test_a_video_over_three_minutes_is_refused_after_reading_its_length(bare_contest):
    long_video = SimpleUploadedFile("答辩视频.mp4", mp4_bytes(190, fps=1, size=32), content_type="video/mp4")
    files = project_files("report", "form", "novelty") | {"video": [long_video]}
    errors = errors_of(lambda: junior(bare_contest, files=files))
    assert "超过上限" in errors["files.video"][0]
    assert not Entry.objects.exists() and not EntryFile.objects.exists()
    short = SimpleUploadedFile("v.mp4", mp4_bytes(20, fps=1, size=32), content_type="video/mp4")
    entry = junior(bare_contest, files=project_files("report", "form", "novelty") | {"video": [short]})
    assert entry.attachments.get(kind="video").seconds == pytest.approx(20, abs=1.5)


def test_a_painting_needs_an_image_and_an_age_from_5_to_14(bare_contest):
    cat = bare_contest.categories.get(code="painting")
    data = EntryIn(
        category=cat, title="海底农场", students=[StudentIn("周梦瑶", "三年级", "primary", age=16)]
    )
    errors = errors_of(
        lambda: entry_create(
            contest=bare_contest, school=bare_contest.schools["xx1"], data=data, files={}, actor="t"
        )
    )
    assert "5–14" in errors["students.0.age"][0]
    assert "作品图片" in errors["files.image"][0]


def test_image_metadata_is_stripped_for_blind_judging(bare_contest):
    import io

    from PIL import Image

    img = Image.new("RGB", (64, 64), (10, 200, 10))
    exif = Image.Exif()
    exif[0x013B] = "Wang Haoran"  # Artist
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    assert b"Wang Haoran" in out.getvalue()
    cat = bare_contest.categories.get(code="painting")
    data = EntryIn(
        category=cat, title="会飞的房子", students=[StudentIn("周梦瑶", "三年级", "primary", age=9)]
    )
    upload = SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")
    entry = entry_create(
        contest=bare_contest,
        school=bare_contest.schools["xx1"],
        data=data,
        files={"image": [upload]},
        actor="t",
    )
    stored = entry.attachments.get().file.read()
    assert b"Wang Haoran" not in stored
    with Image.open(io.BytesIO(stored)) as reread:
        assert not reread.getexif()
    assert png_file(1).size > 0


def test_similar_titles_and_abstracts_are_paired_and_a_veto_keeps_its_reason(bare_contest):
    a = junior(
        bare_contest, title="水火箭射程影响因素的研究", abstract="我们用不同水量发射水火箭，测量射程。"
    )
    b = junior(
        bare_contest,
        title="水火箭射程影响因素研究",
        abstract="我们用不同水量发射水火箭并测量射程。",
        students=[StudentIn("李欣怡", "八年级", "junior")],
    )
    junior(bare_contest, title="果蔬中维生素C含量的测定", students=[StudentIn("张子涵", "八年级", "junior")])
    pairs = similar_pairs(bare_contest)
    assert [(p.entry.pk, p.other.pk) for p in pairs] == [(a.pk, b.pk)]
    assert pairs[0].title_score >= 85
    entry_veto(entry=b, reason="与「水火箭射程影响因素的研究」雷同", actor="test")
    b.refresh_from_db()
    assert b.status == Entry.Status.VETOED and "雷同" in b.veto_reason
    assert errors_of(lambda: entry_veto(entry=a, reason="  ", actor="test"))["reason"]
    assert not Item.objects.filter(object_id=b.pk, excluded=False).exists()


def _mp4_with_metadata(path, *, seconds: int = 4) -> None:
    """A real H.264 MP4 (PyAV) whose moov/udta/meta carries a student's name, a school and a tutor."""
    import av
    from PIL import Image

    with av.open(str(path), "w") as container:
        container.metadata.update(
            {"artist": "王浩然", "title": "泗县实验中学作品", "comment": "指导教师陈老师"}
        )
        stream = container.add_stream("libx264", rate=2)
        stream.width = stream.height = 32
        stream.pix_fmt = "yuv420p"
        for i in range(seconds * 2):
            frame = av.VideoFrame.from_image(Image.new("RGB", (32, 32), (i * 20, 90, 160)))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_video_metadata_is_stripped_and_the_video_still_plays(bare_contest, tmp_path):
    import io

    import av

    src = tmp_path / "答辩.mp4"
    _mp4_with_metadata(src)
    raw = src.read_bytes()
    assert "王浩然".encode() in raw and "陈老师".encode() in raw
    files = project_files("report", "form", "novelty") | {
        "video": [SimpleUploadedFile("答辩.mp4", raw, content_type="video/mp4")]
    }
    entry = junior(bare_contest, files=files)
    stored = entry.attachments.get(kind="video").file.read()
    assert len(stored) == len(raw)  # boxes blanked in place: nothing moved
    for text in ("王浩然", "泗县实验中学", "陈老师", "Lavf"):
        assert text.encode() not in stored, text
    with av.open(io.BytesIO(stored)) as container:
        assert not {"artist", "title", "comment"} & set(container.metadata)
        assert sum(1 for _ in container.decode(video=0)) == 8  # every frame still decodes
