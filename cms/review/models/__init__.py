"""The review app's models, one module per concept."""

from .audit import AppendOnly, AuditChainHead, AuditEvent, AuditRecord
from .claims import ClaimRule
from .library import LibraryReview
from .signoff import Market, MedicalApproval, ReviewerProfile, ReviewStatus
from .task import FrontendPreviewSettings, MedicalReviewTask

__all__ = [
    "AppendOnly",
    "AuditChainHead",
    "AuditEvent",
    "AuditRecord",
    "ClaimRule",
    "FrontendPreviewSettings",
    "LibraryReview",
    "Market",
    "MedicalApproval",
    "MedicalReviewTask",
    "ReviewerProfile",
    "ReviewStatus",
]
