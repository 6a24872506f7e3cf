"""Sending a county's (or a city's) approved result up to the campaign one level above, and that
level's review: return with a reason, or approve. Each send is a new immutable ``SendUp`` (see models).

The snapshot holds the rolled-up table mapped onto the target's form, the mapping when the forms
differ, the summary document, the chosen photos and videos (copied into the snapshot's own storage,
see snapshot_files), the units with their status, and every approved report's version. A report
reopened (or newly approved) after the send changes those versions: the snapshot is then shown as
outdated on both sides.

regions.py: where it goes and what it lists; send.py: the send; review.py: the level above.
"""

from .regions import (
    approved_versions,
    child_regions,
    latest_by_region,
    outdated_ids,
    source_campaign,
    target_of,
    units_of,
)
from .review import (
    HEADLINE,
    access_sendup,
    diff,
    previous,
    review_queue,
    sendup_approve,
    sendup_return,
    versions_by_region,
)
from .send import MAX_MEDIA, access_send, sendup_create, sendup_send

__all__ = [
    "HEADLINE",
    "MAX_MEDIA",
    "access_send",
    "access_sendup",
    "approved_versions",
    "child_regions",
    "diff",
    "latest_by_region",
    "outdated_ids",
    "previous",
    "review_queue",
    "sendup_approve",
    "sendup_create",
    "sendup_return",
    "sendup_send",
    "source_campaign",
    "target_of",
    "units_of",
    "versions_by_region",
]
