"""The small shapes notices come in: contacts, 文号, statistics rows, activity table headers."""

from __future__ import annotations

import pytest

from sciweek.notices.extract import parse_notice
from sciweek.notices.extract.contacts import parse_contacts
from sciweek.notices.extract.stat_table import parse_stat_table
from sciweek.notices.extract.tables import find_tables, header_roles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("联系人：张三，电话：0557-1234567", [("张三", "0557-1234567", None)]),
        ("联系人及电话：张三 13800000000", [("张三", "13800000000", None)]),
        ("联 系 人：李四  联系电话：7022310", [("李四", "7022310", None)]),
        (
            "联系人：王五（0592-5561234转806），邮箱：a.b@example.cn",
            [("王五", "0592-5561234转806", "a.b@example.cn")],
        ),
        ("联系人：赵六，电话：0871-3300111-8021", [("赵六", "0871-3300111-8021", None)]),
        ("联系人：钱七，电话：(0557)1234567", [("钱七", "(0557)1234567", None)]),
        (
            "县科技局：许明  0831-5621888\n县科协：唐晓燕  13708091234\n电子邮箱：x@example.com",
            [("许明", "0831-5621888", "x@example.com"), ("唐晓燕", "13708091234", "x@example.com")],
        ),
        (
            "联系人：吴刚 0379-6351234；孙悦 13837912345。",
            [("吴刚", "0379-6351234", None), ("孙悦", "13837912345", None)],
        ),
        (
            "市科技局社会发展科  邓宇  0311-8561234  sfk@example.cn",
            [("邓宇", "0311-8561234", "sfk@example.cn")],
        ),
        (
            "市科协科普部：陈静，电话：0871-3312345；市科技局：马涛，手机：13987654321，邮箱：mt@example.com",
            [("陈静", "0871-3312345", None), ("马涛", "13987654321", "mt@example.com")],
        ),
        ("电子邮箱：only@example.org", [(None, None, "only@example.org")]),
    ],
)
def test_it_reads_contacts_in_every_common_form(text: str, expected: list[tuple[str | None, ...]]) -> None:
    assert [(c.person, c.phone, c.email) for c in parse_contacts(text)] == expected


@pytest.mark.parametrize(
    ("head", "number"),
    [
        ("青科〔2024〕9号\n关于举办2024年科技活动周的通知", "青科〔2024〕9号"),
        ("关于举办2024年科技活动周的通知\n云科协发[2024]21号", "云科协发[2024]21号"),
        ("东山县科学技术局　　东科发［2024］3号\n关于举办2024年科技活动周的通知", "东科发［2024］3号"),
        ("湖西区科学技术局文件　湖科［2025］8\n关于举办2025年科技活动周的通知", "湖科［2025］8"),
        ("关于举办2024年科技活动周的通知\n苏科（2024）7号", "苏科（2024）7号"),
    ],
)
def test_it_finds_the_document_number_wherever_it_stands(head: str, number: str) -> None:
    text = f"{head}\n各单位：\n一、活动时间\n2024年5月25日至31日\n"
    assert parse_notice(text).doc_number == number


def test_it_reads_statistics_rows_with_a_unit_column_or_units_in_brackets() -> None:
    lines = [
        "科技活动周开展情况统计表",
        "项目\t计量单位\t数量",
        "举办科普活动\t场\t",
        "发放科普资料（份）\t\t",
        "参与群众\t人次\t",
        "投入经费（单位：万元）\t\t",
    ]
    form = parse_stat_table(lines)
    assert [(r.label, r.unit, r.unit_inferred) for r in form.rows] == [
        ("举办科普活动", "场", False),
        ("发放科普资料", "份", False),
        ("参与群众", "人次", False),
        ("投入经费", "万元", False),
    ]


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        (
            ["序号", "活动名称", "时间", "地点", "牵头单位", "配合单位"],
            ["number", "title", "time", "place", "lead", "coop"],
        ),
        (
            ["活动内容", "承办单位", "举办时间", "活动地点", "协办单位"],
            ["title", "lead", "time", "place", "coop"],
        ),
        (["活动项目", "主办单位", "承办单位", "时间地点"], ["title", "lead", "coop", "time_place"]),
        (["活动名称及内容", "牵头单位（部门）", "责任单位", "备注"], ["title", "lead", "coop", "other"]),
        (["项目", "计量单位", "数量"], None),  # a statistics table, not activities
        (["序号", "姓名", "职务"], None),
    ],
)
def test_it_knows_an_activity_table_by_its_header(header: list[str], roles: list[str] | None) -> None:
    assert header_roles(header) == roles


def test_it_reads_a_flattened_table_and_keeps_the_text_before_it() -> None:
    line = (
        "重点开展以下活动： 序号 活动名称 时间 地点 牵头单位 1 科普讲座 5月20日 县图书馆 县科协 "
        "2 科技下乡 5月22日 各乡镇 县农业农村局"
    )
    (table,) = find_tables([line])
    assert table.prefix == {0: "重点开展以下活动："}
    assert [(r["number"], r["title"], r["time"], r["place"], r["lead"]) for r in table.rows] == [
        ("1", "科普讲座", "5月20日", "县图书馆", "县科协"),
        ("2", "科技下乡", "5月22日", "各乡镇", "县农业农村局"),
    ]


def test_it_takes_the_contact_written_under_the_date_but_not_the_forwarded_notices() -> None:
    own = (
        "关于举办2024年甲县科技活动周的通知\n各单位：\n一、活动时间\n2024年5月25日至31日\n\n"
        "甲县科学技术局\n2024年5月10日\n（联系人：张三，联系电话：0557-1234567）\n"
    )
    assert (parse_notice(own).contact.person, parse_notice(own).contact.phone) == ("张三", "0557-1234567")
    forwarding = (
        "关于转发《关于举办2024年全省科技活动周的通知》的通知\n各单位：\n现将《关于举办2024年全省科技活动周的通知》"
        "转发给你们，请认真贯彻落实。\n\n甲县科学技术局\n2024年5月10日\n\n附件\n关于举办2024年全省科技活动周的通知\n"
        "一、活动时间\n2024年5月25日至31日\n联系人：李四，电话：0551-7654321\n"
    )
    draft = parse_notice(forwarding)
    assert draft.kind == "forwarding" and draft.start_date is not None
    assert draft.contact.person is None and draft.contacts == []


def test_it_places_the_cells_of_a_flattened_row_with_empty_cells_by_what_they_are() -> None:
    line = (
        "安排如下： 序号 活动名称 时间 地点 牵头单位 配合单位 1 科普讲座 5月25日 县图书馆 县科协 "
        "2 科技下乡 5月26日 县农业农村局 各乡镇人民政府 3 科普集市 城关镇广场 县科协 县科技局"
    )
    (table,) = find_tables([line])
    assert [(r.get("time"), r.get("place"), r.get("lead"), r.get("coop")) for r in table.rows] == [
        ("5月25日", "县图书馆", "县科协", None),
        ("5月26日", None, "县农业农村局", "各乡镇人民政府"),
        (None, "城关镇广场", "县科协", "县科技局"),
    ]


def test_it_keeps_prose_activities_and_table_rows_together_without_duplicates() -> None:
    text = (
        "关于举办2024年甲县科技活动周的通知\n各单位：\n一、活动时间\n2024年5月25日至31日\n二、主要活动\n"
        "（一）科技活动周启动仪式。牵头单位：县科技局；配合单位：县科协。\n"
        "（二）科普讲解大赛。牵头单位：县科协。\n"
        "各乡镇活动安排如下：\n"
        "序号\t活动名称\t时间\t地点\t承办单位\n"
        "1\t启动仪式\t5月25日\t县人民广场\t县科技局\n"
        "2\t稻田科学课\t5月27日\t白沙镇\t白沙镇人民政府\n"
        "三、联系方式\n联系人：张三，电话：0557-1234567\n"
    )
    activities = parse_notice(text).activities
    assert [(a.title, a.lead_units, a.venue) for a in activities] == [
        ("科技活动周启动仪式", ["县科技局"], "县人民广场"),  # the row filled in the place the prose left out
        ("科普讲解大赛", ["县科协"], None),
        ("稻田科学课", ["白沙镇人民政府"], "白沙镇"),
    ]


def test_it_reads_a_word_table_whose_header_sits_under_a_merged_title_row() -> None:
    import io

    from docx import Document

    from sciweek.notices.extract import parse_notice_file

    document = Document()
    for line in (
        "关于举办2024年甲县科技活动周的通知",
        "各单位：",
        "一、活动时间",
        "2024年5月25日至31日",
        "二、主要活动",
    ):
        document.add_paragraph(line)
    grid = document.add_table(rows=4, cols=4)
    grid.cell(0, 0).merge(grid.cell(0, 3)).text = "2024年甲县科技活动周活动安排表"
    for r, row in enumerate(
        [
            ["序号", "活动名称", "时间", "牵头单位"],
            ["1", "科普讲座", "5月26日", "县科协"],
            ["2", "科技下乡", "5月27日", "县农业农村局"],
        ],
        start=1,
    ):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    draft = parse_notice_file(out.getvalue(), "安排.docx")
    assert [(a.number, a.title, a.lead_units) for a in draft.activities] == [
        (1, "科普讲座", ["县科协"]),
        (2, "科技下乡", ["县农业农村局"]),
    ]


def test_it_reads_lead_and_cooperating_units_and_the_schedule_written_in_a_sentence() -> None:
    text = (
        "关于举办2024年甲县科技活动周的通知\n各单位：\n一、活动时间\n2024年5月25日至31日\n二、主要活动\n"
        "（一）科技活动周启动仪式。由县科技局牵头，县科协、县教育局配合，于5月25日上午在县人民广场举行。\n"
        "（二）科普讲解大赛。县科协负责组织，具体时间另行通知。\n"
        "（三）科技下乡。各乡镇人民政府负责，活动周期间在各村开展。\n"
    )
    got = [
        (a.title, a.lead_units, a.cooperating_units, a.starts_at and a.starts_at.isoformat(), a.venue)
        for a in parse_notice(text).activities
    ]
    assert got == [
        ("科技活动周启动仪式", ["县科技局"], ["县科协", "县教育局"], "2024-05-25", "县人民广场"),
        ("科普讲解大赛", ["县科协"], [], None, None),
        ("科技下乡", ["各乡镇人民政府"], [], None, None),
    ]


@pytest.mark.parametrize(
    ("when", "start", "end"),
    [
        ("2024年9月", "2024-09-01", "2024-09-30"),
        ("9月份（全国科普月）", "2024-09-01", "2024-09-30"),
        ("9月中旬", None, None),
    ],
)
def test_it_takes_a_month_written_alone_as_the_whole_month(
    when: str, start: str | None, end: str | None
) -> None:
    text = f"关于开展2024年甲县全国科普月活动的通知\n各单位：\n一、活动时间\n{when}\n二、活动主题\n弘扬科学家精神\n"
    draft = parse_notice(text).to_json()
    assert (draft["start_date"], draft["end_date"]) == (start, end)


def test_it_reads_a_header_whose_narrow_cells_wrapped() -> None:
    lines = [
        "序号  活动名称    时间     地点        主办单   承办单",
        "                                     位       位",
        "1     科普讲座    9月16日  龙江大学    市科协   龙江大学",
    ]
    (table,) = find_tables(lines)
    assert table.rows == [
        {
            "number": "1",
            "title": "科普讲座",
            "time": "9月16日",
            "place": "龙江大学",
            "lead": "市科协",
            "coop": "龙江大学",
        }
    ]
