"""The pages below the microneedling procedure: benefits, devices and safety."""

from .microneedling import REVIEW, SOURCES
from .text import T


def _concern(code, description, evidence="practice", note=None):
    return ("concern", {"concern": code, "description": description, "evidence": evidence, "evidence_note": note or ""})


def _item(text, phase, importance, rationale):
    return ("item", {"text": text, "phase": phase, "importance": importance, "rationale": rationale})


BENEFITS = {
    "key": "microneedling-benefits",
    "model": "pages.BenefitsPage",
    "title": T(
        "Benefits of microneedling",
        "Les bienfaits du microneedling",
        "Vorteile von Microneedling",
        "Beneficios del microneedling",
    ),
    "slug": T("benefits", "bienfaits", "vorteile", "beneficios"),
    "fields": {
        **REVIEW,
        "sources": SOURCES,
        "summary": T(
            "The skin and hair concerns microneedling can help with, and what supports each claim.",
            "Les problèmes de peau et de cheveux que le microneedling peut améliorer, et ce qui étaye chaque affirmation.",
            "Die Haut- und Haarprobleme, bei denen Microneedling helfen kann, und was jede Aussage stützt.",
            "Los problemas de piel y cabello que el microneedling puede mejorar, y lo que respalda cada afirmación.",
        ),
        "concerns": [
            _concern(
                "acne",
                T(
                    "Improves the texture of skin marked by acne.",
                    "Améliore la texture de la peau marquée par l’acné.",
                    "Verbessert die Struktur von Haut, die von Akne gezeichnet ist.",
                    "Mejora la textura de la piel marcada por el acné.",
                ),
            ),
            _concern(
                "hair_loss",
                T(
                    "May help hair grow again in people with alopecia.",
                    "Peut aider les cheveux à repousser chez les personnes atteintes d’alopécie.",
                    "Kann bei Menschen mit Alopezie das Nachwachsen der Haare fördern.",
                    "Puede ayudar a que el cabello vuelva a crecer en personas con alopecia.",
                ),
                "studies",
                T(
                    "Studies report new hair growth in people with alopecia.",
                    "Des études rapportent une repousse des cheveux chez les personnes atteintes d’alopécie.",
                    "Studien berichten über neues Haarwachstum bei Menschen mit Alopezie.",
                    "Los estudios describen un nuevo crecimiento del cabello en personas con alopecia.",
                ),
            ),
            _concern(
                "hyperpigmentation",
                T(
                    "Helps dark spots and patches of uneven colour fade.",
                    "Aide à estomper les taches brunes et les zones de teint irrégulier.",
                    "Hilft, dunkle Flecken und ungleichmäßige Pigmentierung aufzuhellen.",
                    "Ayuda a atenuar las manchas oscuras y las zonas de tono irregular.",
                ),
            ),
            _concern(
                "enlarged_pores",
                T(
                    "Can make enlarged pores look smaller.",
                    "Peut resserrer l’aspect des pores dilatés.",
                    "Kann vergrößerte Poren kleiner wirken lassen.",
                    "Puede hacer que los poros dilatados parezcan más pequeños.",
                ),
            ),
            _concern(
                "reduced_elasticity",
                T(
                    "Gives back some suppleness to skin that has lost its elasticity.",
                    "Redonne de la souplesse à une peau qui a perdu son élasticité.",
                    "Gibt Haut, die an Elastizität verloren hat, etwas Geschmeidigkeit zurück.",
                    "Devuelve algo de flexibilidad a la piel que ha perdido elasticidad.",
                ),
            ),
            _concern(
                "scars",
                T(
                    "New collagen makes scars shallower and less noticeable.",
                    "Le collagène neuf rend les cicatrices moins profondes et moins visibles.",
                    "Neues Kollagen macht Narben flacher und weniger auffällig.",
                    "El colágeno nuevo hace que las cicatrices sean menos profundas y menos visibles.",
                ),
                "studies",
            ),
            _concern(
                "stretch_marks",
                T(
                    "Can soften the look of stretch marks.",
                    "Peut atténuer l’aspect des vergetures.",
                    "Kann das Erscheinungsbild von Dehnungsstreifen mildern.",
                    "Puede suavizar el aspecto de las estrías.",
                ),
            ),
            _concern(
                "sun_damage",
                T(
                    "Improves the tone and texture of skin damaged by the sun.",
                    "Améliore le teint et la texture d’une peau abîmée par le soleil.",
                    "Verbessert Teint und Struktur sonnengeschädigter Haut.",
                    "Mejora el tono y la textura de la piel dañada por el sol.",
                ),
            ),
            _concern(
                "fine_lines",
                T(
                    "Smooths fine lines and wrinkles as new collagen forms.",
                    "Lisse les ridules et les rides à mesure que le collagène se reforme.",
                    "Glättet feine Linien und Falten, während sich neues Kollagen bildet.",
                    "Suaviza las líneas finas y las arrugas a medida que se forma colágeno nuevo.",
                ),
                "studies",
            ),
        ],
    },
}

COMPARISON = {
    "key": "microneedling-devices",
    "model": "pages.DeviceComparisonPage",
    "title": T(
        "Microneedling devices compared",
        "Comparatif des appareils de microneedling",
        "Microneedling-Geräte im Vergleich",
        "Comparativa de dispositivos de microneedling",
    ),
    "slug": T("devices", "appareils", "geraete", "dispositivos"),
    "fields": {
        **REVIEW,
        "sources": SOURCES,
        "summary": T(
            "How clinic pens and rollers differ from the rollers sold for use at home.",
            "En quoi les stylos et rouleaux de cabinet diffèrent des rouleaux vendus pour un usage à domicile.",
            "Wie sich Pens und Roller aus der Praxis von Rollern für die Anwendung zu Hause unterscheiden.",
            "En qué se diferencian las plumas y rodillos de clínica de los rodillos que se venden para usar en casa.",
        ),
        "devices": [
            (
                "device",
                {
                    "device": "professional-pen",
                    "remark": T(
                        "Only in a clinic, by a trained practitioner",
                        "Uniquement en cabinet, par un praticien formé",
                        "Nur in der Praxis, durch geschultes Fachpersonal",
                        "Solo en clínica, por un profesional formado",
                    ),
                },
            ),
            ("device", {"device": "professional-roller", "remark": ""}),
            (
                "device",
                {
                    "device": "home-roller",
                    "remark": T(
                        "Not a substitute for a clinic treatment",
                        "Ne remplace pas un soin en cabinet",
                        "Kein Ersatz für eine Behandlung in der Praxis",
                        "No sustituye a un tratamiento en clínica",
                    ),
                },
            ),
        ],
    },
}

CHECKLIST = {
    "key": "microneedling-safety",
    "model": "pages.SafetyChecklistPage",
    "title": T(
        "Microneedling safety checklist",
        "Liste de sécurité du microneedling",
        "Sicherheits-Checkliste Microneedling",
        "Lista de seguridad del microneedling",
    ),
    "slug": T("safety", "securite", "sicherheit", "seguridad"),
    "fields": {
        **REVIEW,
        "sources": SOURCES,
        "summary": T(
            "What to check before, during and after a microneedling treatment.",
            "Ce qu’il faut vérifier avant, pendant et après un soin de microneedling.",
            "Was Sie vor, während und nach einer Microneedling-Behandlung prüfen sollten.",
            "Qué comprobar antes, durante y después de un tratamiento de microneedling.",
        ),
        "items": [
            _item(
                T(
                    "Check the practitioner’s qualifications and experience",
                    "Vérifiez les qualifications et l’expérience du praticien",
                    "Prüfen Sie Qualifikation und Erfahrung der behandelnden Fachkraft",
                    "Compruebe la titulación y la experiencia del profesional",
                ),
                "before",
                "required",
                T(
                    "The treatment belongs in the hands of a dermatologist or a trained aesthetician.",
                    "Ce soin doit être réalisé par un dermatologue ou une esthéticienne formée.",
                    "Die Behandlung gehört in die Hände einer Dermatologin, eines Dermatologen oder einer geschulten Kosmetikerin.",
                    "El tratamiento debe realizarlo un dermatólogo o un esteticista formado.",
                ),
            ),
            _item(
                T(
                    "Confirm that all equipment has been sterilised",
                    "Assurez-vous que tout le matériel a été stérilisé",
                    "Vergewissern Sie sich, dass alle Geräte sterilisiert wurden",
                    "Confirme que todo el equipo se ha esterilizado",
                ),
                "before",
                "required",
                T(
                    "Needles that are not sterile can carry infection into the skin.",
                    "Des aiguilles non stériles peuvent provoquer une infection de la peau.",
                    "Nicht sterile Nadeln können Infektionen in die Haut tragen.",
                    "Las agujas no estériles pueden llevar infecciones a la piel.",
                ),
            ),
            _item(
                T(
                    "Talk to a dermatologist first",
                    "Consultez d’abord un dermatologue",
                    "Sprechen Sie zuerst mit einer Dermatologin oder einem Dermatologen",
                    "Consulte primero a un dermatólogo",
                ),
                "before",
                "recommended",
                T(
                    "A dermatologist can tell you whether microneedling suits your skin and your concerns.",
                    "Un dermatologue peut vous dire si le microneedling convient à votre peau et à vos attentes.",
                    "Eine Fachärztin oder ein Facharzt kann beurteilen, ob Microneedling zu Ihrer Haut und Ihren Anliegen passt.",
                    "Un dermatólogo puede decirle si el microneedling es adecuado para su piel y sus necesidades.",
                ),
            ),
            _item(
                T(
                    "Think twice before using a home device",
                    "Réfléchissez avant d’utiliser un appareil à domicile",
                    "Überlegen Sie gut, bevor Sie ein Gerät zu Hause verwenden",
                    "Piénselo bien antes de usar un dispositivo en casa",
                ),
                "before",
                "recommended",
                T(
                    "Without training you can injure your skin, and there is no reliable way to sterilise the needles at home.",
                    "Sans formation, vous risquez de vous blesser la peau, et il n’existe aucun moyen fiable de stériliser les aiguilles chez soi.",
                    "Ohne Schulung können Sie Ihre Haut verletzen, und zu Hause gibt es keine zuverlässige Möglichkeit, die Nadeln zu sterilisieren.",
                    "Sin formación puede lesionarse la piel, y en casa no hay una forma fiable de esterilizar las agujas.",
                ),
            ),
            _item(
                T(
                    "Make sure a numbing cream is applied first",
                    "Assurez-vous qu’une crème anesthésiante est appliquée au préalable",
                    "Achten Sie darauf, dass vorher eine betäubende Creme aufgetragen wird",
                    "Asegúrese de que antes se aplique una crema anestésica",
                ),
                "during",
                "recommended",
                T(
                    "It keeps the treatment comfortable while the needles work on the skin.",
                    "Elle rend le soin plus confortable pendant que les aiguilles travaillent la peau.",
                    "Sie macht die Behandlung angenehmer, während die Nadeln auf die Haut wirken.",
                    "Hace que el tratamiento sea más cómodo mientras las agujas actúan sobre la piel.",
                ),
            ),
            _item(
                T(
                    "Follow the aftercare advice until the skin has healed",
                    "Suivez les conseils de soins jusqu’à la cicatrisation complète",
                    "Befolgen Sie die Pflegehinweise, bis die Haut verheilt ist",
                    "Siga los consejos de cuidado hasta que la piel haya cicatrizado",
                ),
                "after",
                "required",
                T(
                    "Healing can take from days to weeks, and the tiny wounds need care to avoid infection.",
                    "La cicatrisation peut prendre de quelques jours à quelques semaines, et les micro-plaies demandent des soins pour éviter l’infection.",
                    "Die Heilung kann Tage bis Wochen dauern, und die winzigen Wunden brauchen Pflege, um Infektionen zu vermeiden.",
                    "La cicatrización puede llevar de días a semanas, y las pequeñas heridas necesitan cuidados para evitar infecciones.",
                ),
            ),
        ],
    },
}

CHILDREN = [BENEFITS, COMPARISON, CHECKLIST]
