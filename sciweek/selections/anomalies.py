"""What the organizer should look at before trusting the public vote.

Each finding names a group of votes with one description and the ids to void together:
- a minute in which one candidate got far more votes than its usual minute (a burst);
- one address, or one /24 network, voting with many different numbers;
- votes at night (00:00–06:00) in bursts;
- many numbers from one 7-digit number block, or from the virtual-operator ranges (162, 165, 167,
  170, 171) that SMS farms use.
Thresholds are settings-free constants on purpose: the report shows candidates, people decide.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Selection, Vote

BURST_MIN = 20  # votes in one minute for one candidate before it can count as a burst
BURST_FACTOR = 5  # … and that many times the candidate's median busy minute
NUMBERS_PER_ADDRESS = 5
NUMBERS_PER_NETWORK = 15
NIGHT_BURST = 15  # night votes for one candidate within one hour
NUMBERS_PER_BLOCK = 8
VIRTUAL_PREFIXES = ("162", "165", "167", "170", "171")


@dataclass
class Finding:
    kind: str
    title: str
    detail: str
    vote_ids: list[int] = field(default_factory=list)  # the votes still counted, to void together
    voided: int = 0  # votes of the group already voided

    @property
    def count(self) -> int:
        return len(self.vote_ids) + self.voided


def _network(ip: str | None) -> str:
    if not ip or ":" in ip:
        return ip or "未知"
    return ".".join(ip.split(".")[:3]) + ".0/24"


def anomaly_report(selection: Selection) -> list[Finding]:
    rows = list(
        Vote.objects.filter(selection=selection)
        .order_by("at")
        .values_list(
            "pk", "candidate_id", "candidate__name", "phone_key", "phone_block", "at", "ip", "voided"
        )
    )
    # Voided votes stay in the report (marked), so the organizer sees what was already dealt with.
    voided_ids = {r[0] for r in rows if r[7]}
    findings: list[Finding] = []
    per_minute: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, str] = {}
    by_ip: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_net: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    net_ips: dict[str, set[str]] = defaultdict(set)
    night: dict[tuple[int, str], list[int]] = defaultdict(list)
    by_block: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, cid, name, key, block, at, ip, _voided in rows:
        names[cid] = name
        local = timezone.localtime(at)
        per_minute[cid][local.strftime("%m-%d %H:%M")].append(pk)
        by_ip[ip or "未知"][key].append(pk)
        by_net[_network(ip)][key].append(pk)
        net_ips[_network(ip)].add(ip or "")
        if local.hour < 6:
            night[(cid, local.strftime("%m-%d %H:00"))].append(pk)
        by_block[block][key].append(pk)
    for cid, minutes in per_minute.items():
        median = statistics.median(len(v) for v in minutes.values())
        for minute, ids in minutes.items():
            if len(ids) >= BURST_MIN and len(ids) >= BURST_FACTOR * median:
                findings.append(
                    Finding(
                        "burst",
                        f"{names[cid]}：{minute} 一分钟{len(ids)}票",
                        f"该候选人平常每分钟约{median:g}票",
                        ids,
                    )
                )
    for ip, voters in by_ip.items():
        if len(voters) >= NUMBERS_PER_ADDRESS:
            findings.append(
                Finding(
                    "address",
                    f"同一地址 {ip} 用{len(voters)}个号码投票",
                    "可能是同一人或同一设备",
                    [i for ids in voters.values() for i in ids],
                )
            )
    for net, voters in by_net.items():
        if len(voters) >= NUMBERS_PER_NETWORK and len(net_ips[net]) > 1:  # one address: reported above
            findings.append(
                Finding(
                    "network",
                    f"同一网段 {net} 用{len(voters)}个号码投票",
                    "同一单位网络也会如此，请结合时间判断",
                    [i for ids in voters.values() for i in ids],
                )
            )
    for (cid, hour), ids in night.items():
        if len(ids) >= NIGHT_BURST:
            findings.append(
                Finding("night", f"{names[cid]}：{hour} 夜间一小时{len(ids)}票", "凌晨0–6时集中投票", ids)
            )
    for block, voters in by_block.items():
        virtual = block.startswith(VIRTUAL_PREFIXES)
        if len(voters) >= NUMBERS_PER_BLOCK or (virtual and len(voters) >= NUMBERS_PER_BLOCK // 2):
            findings.append(
                Finding(
                    "block",
                    f"号段 {block}**** 有{len(voters)}个号码投票",
                    "虚拟运营商号段" if virtual else "连续号段常见于接码平台",
                    [i for ids in voters.values() for i in ids],
                )
            )
    for f in findings:
        f.voided = sum(1 for i in f.vote_ids if i in voided_ids)
        f.vote_ids = [i for i in f.vote_ids if i not in voided_ids]
    findings.sort(key=lambda f: (not f.vote_ids, -f.count))
    return findings
