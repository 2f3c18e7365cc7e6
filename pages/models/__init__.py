"""The clinic content model, one module per page type."""

from pages.snippets import Device

from .base import ContentPage
from .benefits import BenefitsPage
from .clinic import Clinic, ClinicPage
from .comparison import DeviceComparisonPage
from .home import HomePage, ProcedureIndexPage
from .procedure import ProcedurePage
from .safety import SafetyChecklistPage

__all__ = [
    "BenefitsPage",
    "Clinic",
    "ClinicPage",
    "ContentPage",
    "Device",
    "DeviceComparisonPage",
    "HomePage",
    "ProcedureIndexPage",
    "ProcedurePage",
    "SafetyChecklistPage",
]
