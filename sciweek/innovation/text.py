"""Chinese text → search tokens (jieba), shared by the stored token columns and the queries.

jieba's search mode also yields the shorter words inside a long one (植物保护 → 植物, 保护, 植物保护),
so a demand that says 病害 still meets an expert whose keyword is 赤霉病害. One-character words and
a short stop list are dropped: 的/和/技术/企业 say nothing about who can help.
"""

from __future__ import annotations

import logging
import re
import threading

import jieba

# Field terms jieba's general dictionary splits apart (赤霉病 would become 赤霉 + 病).
DOMAIN_WORDS = [
    "赤霉病",
    "纹枯病",
    "稻瘟病",
    "白粉病",
    "锈病",
    "蚜虫",
    "植物保护",
    "病虫害",
    "绿色防控",
    "统防统治",
    "测土配方",
    "水肥一体化",
    "秸秆还田",
    "高标准农田",
    "设施农业",
    "大棚",
    "畜禽养殖",
    "非洲猪瘟",
    "疫病防控",
    "农机",
    "植保无人机",
    "收割机",
    "烘干机",
    "数控机床",
    "焊接工艺",
    "热处理",
    "表面处理",
    "模具",
    "注塑",
    "伺服",
    "工业机器人",
    "视觉检测",
    "物联网",
    "大数据",
    "有机肥",
    "生物质",
    "光伏",
    "储能",
    "污水处理",
    "废气治理",
    "复合材料",
    "高分子",
    "涂料",
    "纺织面料",
    "印染",
    "食品保鲜",
    "冷链",
    "发酵",
    "检验检测",
    "农产品加工",
    "预制菜",
    "中药材",
]
STOP_WORDS = frozenset(
    [
        "我们",
        "我司",
        "公司",
        "企业",
        "需要",
        "需求",
        "问题",
        "技术",
        "进行",
        "目前",
        "现在",
        "一个",
        "一种",
        "相关",
        "方面",
        "提高",
        "提升",
        "解决",
        "希望",
        "实现",
        "通过",
        "以及",
        "没有",
        "可以",
        "主要",
        "存在",
        "情况",
        "要求",
        "合作",
        "开展",
        "研究",
        "开发",
        "应用",
        "工作",
        "产品",
        "生产",
        "能力",
        "水平",
    ]
)
_WORD = re.compile(r"[\w]", re.UNICODE)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def tokenizer() -> jieba.Tokenizer:
    """One jieba tokenizer per process, loaded on first use (its dictionary takes about a second)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for word in DOMAIN_WORDS:
                    tok.add_word(word, freq=20000)
                _tokenizer = tok
    return _tokenizer


def tokens(text: str) -> list[str]:
    """Search tokens of ``text`` in order (repeats kept: BM25 counts them)."""
    if not text:
        return []
    out = []
    for word in tokenizer().lcut_for_search(text):
        word = word.strip().lower()
        if len(word) < 2 or word in STOP_WORDS or not _WORD.search(word):
            continue
        out.append(word)
    return out


def token_text(*parts: str) -> str:
    """What a `search_text` column stores: the tokens of every part, space-separated."""
    return " ".join(t for part in parts for t in tokens(part))
