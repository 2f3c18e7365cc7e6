"""The demo site's home page and its treatments index."""

from .text import Prose, T

HOME = {
    "key": "home",
    "model": "pages.HomePage",
    "title": T("Lumen Skin Clinic", "Clinique Lumen", "Hautklinik Lumen", "Clínica Lumen"),
    "slug": T("home", "accueil", "startseite", "inicio"),
    "fields": {
        "intro": Prose(
            T(
                "Clear information about the treatments we offer, checked by a medical reviewer.",
                "Des informations claires sur nos soins, vérifiées par un relecteur médical.",
                "Klare Informationen über unsere Behandlungen, von einer medizinischen Fachperson geprüft.",
                "Información clara sobre nuestros tratamientos, revisada por un profesional médico.",
            ),
        ),
    },
}

TREATMENTS = {
    "key": "treatments",
    "model": "pages.ProcedureIndexPage",
    "title": T("Treatments", "Soins", "Behandlungen", "Tratamientos"),
    "slug": T("treatments", "soins", "behandlungen", "tratamientos"),
    "fields": {
        "intro": Prose(
            T(
                "Every treatment page is approved by a medical reviewer before it goes live.",
                "Chaque page de soin est approuvée par un relecteur médical avant sa mise en ligne.",
                "Jede Behandlungsseite wird vor der Veröffentlichung von einer medizinischen Fachperson freigegeben.",
                "Cada página de tratamiento la aprueba un revisor médico antes de publicarse.",
            ),
        ),
    },
}
