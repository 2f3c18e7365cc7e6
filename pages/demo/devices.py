"""The three devices the demo comparison sets side by side.

Needle lengths are typical ranges for each kind of device; the source article only
says that clinic devices have longer needles than home ones.
"""

from decimal import Decimal

from .text import T

DEVICES = [
    {
        "key": "professional-pen",
        "name": T(
            "Professional microneedling pen",
            "Stylo de microneedling professionnel",
            "Professioneller Microneedling-Pen",
            "Pluma de microagujas profesional",
        ),
        "summary": T(
            "A motorised pen with disposable needle cartridges and an adjustable depth, used in clinics.",
            "Un stylo motorisé à cartouches d’aiguilles jetables et à profondeur réglable, utilisé en cabinet.",
            "Ein motorisierter Stift mit Einweg-Nadelkartuschen und einstellbarer Tiefe, der in Praxen eingesetzt wird.",
            "Una pluma motorizada con cartuchos de agujas desechables y profundidad regulable, usada en clínicas.",
        ),
        "kind": "pen",
        "setting": "clinic",
        "needle_length_min": Decimal("0.25"),
        "needle_length_max": Decimal("2.5"),
        "depth": "deep_dermis",
        "visible_results": "marked",
        "downtime_days_min": 3,
        "downtime_days_max": 7,
        "sterilisation": "single_use",
        "operated_by": ["dermatologist", "aesthetician"],
        "risks": T(
            "Redness, swelling and pinpoint bleeding while the skin heals, and infection if aftercare is neglected.",
            "Rougeurs, gonflement et petits saignements pendant la cicatrisation, et infection si les soins après la séance sont négligés.",
            "Rötungen, Schwellungen und punktförmige Blutungen während der Heilung sowie Infektionen, wenn die Nachsorge vernachlässigt wird.",
            "Enrojecimiento, hinchazón y pequeños sangrados mientras la piel cicatriza, e infección si se descuidan los cuidados posteriores.",
        ),
    },
    {
        "key": "professional-roller",
        "name": T(
            "Professional microneedling roller",
            "Rouleau de microneedling professionnel",
            "Professioneller Microneedling-Roller",
            "Rodillo de microagujas profesional",
        ),
        "summary": T(
            "A hand-held roller covered in fine needles, used by trained practitioners.",
            "Un rouleau manuel couvert de fines aiguilles, utilisé par des praticiens formés.",
            "Ein Handroller mit feinen Nadeln, der von geschultem Fachpersonal verwendet wird.",
            "Un rodillo manual cubierto de agujas finas, utilizado por profesionales formados.",
        ),
        "kind": "roller",
        "setting": "clinic",
        "needle_length_min": Decimal("0.5"),
        "needle_length_max": Decimal("1.5"),
        "depth": "upper_dermis",
        "visible_results": "moderate",
        "downtime_days_min": 2,
        "downtime_days_max": 5,
        "sterilisation": "single_use",
        "operated_by": ["dermatologist", "aesthetician"],
        "risks": T(
            "Redness and mild swelling; uneven pressure can leave tracks on the skin.",
            "Rougeurs et léger gonflement ; une pression inégale peut laisser des traces sur la peau.",
            "Rötungen und leichte Schwellungen; ungleichmäßiger Druck kann Spuren auf der Haut hinterlassen.",
            "Enrojecimiento e hinchazón leve; una presión desigual puede dejar marcas en la piel.",
        ),
    },
    {
        "key": "home-roller",
        "name": T(
            "Home microneedling roller",
            "Rouleau de microneedling à domicile",
            "Microneedling-Roller für zu Hause",
            "Rodillo de microagujas para casa",
        ),
        "summary": T(
            "A roller with short pins, sold for use at home without supervision.",
            "Un rouleau à picots courts, vendu pour un usage à domicile sans encadrement.",
            "Ein Roller mit kurzen Nadeln, der für die Anwendung zu Hause ohne Aufsicht verkauft wird.",
            "Un rodillo con púas cortas, vendido para usar en casa sin supervisión.",
        ),
        "kind": "roller",
        "setting": "home",
        "needle_length_min": Decimal("0.2"),
        "needle_length_max": Decimal("0.5"),
        "depth": "surface",
        "visible_results": "subtle",
        "downtime_days_min": 1,
        "downtime_days_max": 2,
        "sterilisation": "user_cleaned",
        "operated_by": ["self"],
        "risks": T(
            "Injury to the skin from poor technique, and infection because the needles cannot be reliably sterilised at home.",
            "Blessures de la peau dues à une mauvaise technique, et infection car les aiguilles ne peuvent pas être stérilisées de façon fiable à domicile.",
            "Verletzungen der Haut durch falsche Technik und Infektionen, weil sich die Nadeln zu Hause nicht zuverlässig sterilisieren lassen.",
            "Lesiones en la piel por una mala técnica, e infección porque las agujas no se pueden esterilizar de forma fiable en casa.",
        ),
    },
]
