from .benefits import ConcernBlock
from .common import CitationBlock
from .comparison import DeviceEntryBlock
from .procedure import StepBlock
from .safety import ChecklistItemBlock

__all__ = ["ChecklistItemBlock", "CitationBlock", "ConcernBlock", "DeviceEntryBlock", "StepBlock"]
