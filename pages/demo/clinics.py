"""The demo clinics: the group's own site serves the library; Madrid and London show it.

Each clinic is a Site with its own home and clinic pages that reference the library's
microneedling pages and change only the clinic's details (practitioners, price,
devices, booking link, local notes, regulatory notice). Names, numbers and
registrations are fictional. A clinic page takes its library page's title and slug.
"""

from .text import T


def same(text):
    """A name or number, written the same in every language."""
    return T(text, text, text, text)


# The group's own site: the library, served in every hub locale, on its Site's own URL.
GROUP_CLINIC = {
    "slug": "lumen",
    "name": "Lumen Skin Clinic",
}

CLINICS = [
    {
        "slug": "madrid",
        "name": "Lumen Skin Clinic Madrid",
        "hostname": "madrid.localhost",
        "frontend_url": "https://madrid.lumen.example",
        "locales": ["es", "en"],
        "home": {
            "key": "clinic-madrid-home",
            "title": T("Lumen Madrid", "Lumen Madrid", "Lumen Madrid", "Lumen Madrid"),
            "slug": T("madrid", "madrid", "madrid", "madrid"),
        },
        "pages": [
            {
                "key": "clinic-madrid-microneedling",
                "library": "microneedling",
                "parent": "home",
                "practitioners": [
                    (
                        same("Dr Lucía Ortega"),
                        T("Dermatologist", "Dermatologue", "Dermatologin", "Dermatóloga"),
                        same("28/281234"),
                    ),
                    (
                        same("Marta Gil"),
                        T(
                            "Aesthetician, trained in clinic microneedling",
                            "Esthéticienne formée au microneedling en cabinet",
                            "Kosmetikerin mit Ausbildung in Microneedling",
                            "Esteticista formada en micropunción en clínica",
                        ),
                        None,
                    ),
                ],
                "price": (180, 260, "EUR"),
                "devices": ["professional-pen"],
                "booking_url": "https://madrid.lumen.example/reservar",
                "regulatory_notice": T(
                    "Health centre registered with the Community of Madrid.",
                    "Centre de santé enregistré auprès de la Communauté de Madrid.",
                    "Gesundheitszentrum, registriert bei der Gemeinschaft Madrid.",
                    "Centro sanitario registrado en la Comunidad de Madrid.",
                ),
            },
            {
                "key": "clinic-madrid-safety",
                "library": "microneedling-safety",
                "parent": "clinic-madrid-microneedling",
                "regulatory_notice": T(
                    "Health centre registered with the Community of Madrid.",
                    "Centre de santé enregistré auprès de la Communauté de Madrid.",
                    "Gesundheitszentrum, registriert bei der Gemeinschaft Madrid.",
                    "Centro sanitario registrado en la Comunidad de Madrid.",
                ),
            },
        ],
    },
    {
        "slug": "london",
        "name": "Lumen Skin Clinic London",
        "hostname": "london.localhost",
        "frontend_url": "https://london.lumen.example",
        "locales": ["en"],
        "home": {
            "key": "clinic-london-home",
            "title": T("Lumen London", "Lumen Londres", "Lumen London", "Lumen Londres"),
            "slug": T("london", "londres", "london", "londres"),
        },
        "pages": [
            {
                "key": "clinic-london-microneedling",
                "library": "microneedling",
                "parent": "home",
                "practitioners": [
                    (
                        same("Dr Priya Shah"),
                        T("Consultant dermatologist", "Dermatologue", "Dermatologin", "Dermatóloga"),
                        same("GMC 7654321"),
                    ),
                ],
                "price": (200, 300, "GBP"),
                "devices": ["professional-pen", "home-roller"],
                "booking_url": "https://london.lumen.example/book",
            },
        ],
    },
]
