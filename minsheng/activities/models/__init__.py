"""The activities wing's models, one module per part: receptions (接待日, 接待, 反映事项), activities (代表活动
with attendance), campaigns (集中履职月)."""

from .activities import Activity, ActivityConcern, ActivityKind, ActivityPhoto, Participation
from .campaigns import Campaign
from .receptions import Reception, ReceptionDay, ReceptionMatter

__all__ = [
    "Activity",
    "ActivityConcern",
    "ActivityKind",
    "ActivityPhoto",
    "Campaign",
    "Participation",
    "Reception",
    "ReceptionDay",
    "ReceptionMatter",
]
