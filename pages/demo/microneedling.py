"""Microneedling: the procedure and its benefits, device comparison and safety pages.

The facts come from the clinic's source article, restated in our own words. Numbers
live in typed fields, never inside prose.
"""

import datetime

from .text import Prose, T

REVIEW = {"reviewed_by": "Dr Ana Ruiz, dermatologist", "last_reviewed_on": datetime.date(2026, 11, 2)}

SOURCES = [
    (
        "citation",
        {
            "title": T(
                "Is microneedling useful for the skin?",
                "Le microneedling est-il utile pour la peau ?",
                "Ist Microneedling gut für die Haut?",
                "¿Es útil el microneedling para la piel?",
            ),
            "publisher": T(
                "Clinic source article",
                "Article source de la clinique",
                "Quellartikel der Klinik",
                "Artículo fuente de la clínica",
            ),
            "url": "",
            "year": 2026,
        },
    )
]


def _step(title, description):
    return ("step", {"title": title, "description": description})


PROCEDURE = {
    "key": "microneedling",
    "model": "pages.ProcedurePage",
    "title": T("Microneedling", "Microneedling", "Microneedling", "Microneedling"),
    "slug": T("microneedling", "microneedling", "microneedling", "microneedling"),
    "hero_image": True,
    "fields": {
        **REVIEW,
        "sources": SOURCES,
        "summary": T(
            "Microneedling makes tiny punctures in the skin so that it repairs itself with fresh collagen, softening scars, spots and fine lines.",
            "Le microneedling crée de minuscules perforations dans la peau pour qu’elle se répare avec du collagène neuf, ce qui atténue cicatrices, taches et ridules.",
            "Beim Microneedling entstehen winzige Einstiche in der Haut, die sich mit neuem Kollagen selbst repariert; so werden Narben, Flecken und feine Linien gemildert.",
            "El microneedling hace pequeñas perforaciones en la piel para que se repare con colágeno nuevo, lo que suaviza cicatrices, manchas y líneas finas.",
        ),
        "hero_image_alt": T(
            "A practitioner treating a cheek with a microneedling pen",
            "Une praticienne traite une joue avec un stylo de microneedling",
            "Eine Fachkraft behandelt eine Wange mit einem Microneedling-Pen",
            "Una profesional trata una mejilla con una pluma de microagujas",
        ),
        "also_known_as": T(
            "Collagen induction therapy",
            "Thérapie par induction de collagène",
            "Kollagen-Induktionstherapie",
            "Terapia de inducción de colágeno",
        ),
        "what_it_is": Prose(
            T(
                "Microneedling is a minimally invasive cosmetic treatment. Fine sterile needles make microscopic punctures in the skin, which the body then repairs.",
                "Le microneedling est un soin esthétique peu invasif. De fines aiguilles stériles créent des perforations microscopiques dans la peau, que le corps répare ensuite.",
                "Microneedling ist eine minimalinvasive kosmetische Behandlung. Feine sterile Nadeln erzeugen mikroskopisch kleine Einstiche in der Haut, die der Körper anschließend repariert.",
                "El microneedling es un tratamiento estético mínimamente invasivo. Unas agujas finas y estériles hacen perforaciones microscópicas en la piel, que el cuerpo repara después.",
            ),
            T(
                "As the skin heals these small injuries with new collagen, scars and dark spots fade and the skin becomes more supple.",
                "En réparant ces petites lésions avec du collagène neuf, la peau voit ses cicatrices et ses taches s’estomper et gagne en souplesse.",
                "Während die Haut diese kleinen Verletzungen mit neuem Kollagen heilt, verblassen Narben und dunkle Flecken, und die Haut wird geschmeidiger.",
                "Al curar estas pequeñas lesiones con colágeno nuevo, las cicatrices y las manchas oscuras se atenúan y la piel gana flexibilidad.",
            ),
        ),
        "how_it_works": Prose(
            T(
                "The punctures start the body’s own repair process: collagen and elastin are sent to the treated area to mend the tiny wounds.",
                "Les perforations déclenchent le processus de réparation naturel du corps : du collagène et de l’élastine sont envoyés vers la zone traitée pour refermer les micro-plaies.",
                "Die Einstiche setzen die körpereigene Reparatur in Gang: Kollagen und Elastin werden in den behandelten Bereich geschickt, um die winzigen Wunden zu schließen.",
                "Las perforaciones ponen en marcha el proceso de reparación del propio cuerpo: el colágeno y la elastina acuden a la zona tratada para cerrar las pequeñas heridas.",
            ),
            T(
                "The depth the needles reach shapes the result. Clinic devices with longer needles work deeper and bring more visible change to wrinkles and scars, but need a longer recovery; home devices with short pins only touch the surface.",
                "La profondeur atteinte par les aiguilles détermine le résultat. Les appareils de cabinet, aux aiguilles plus longues, agissent plus en profondeur et améliorent davantage rides et cicatrices, mais demandent une récupération plus longue ; les appareils à domicile, aux picots courts, ne touchent que la surface.",
                "Wie tief die Nadeln reichen, bestimmt das Ergebnis. Praxisgeräte mit längeren Nadeln wirken tiefer und verbessern Falten und Narben sichtbarer, erfordern aber eine längere Erholung; Heimgeräte mit kurzen Nadeln erreichen nur die Oberfläche.",
                "La profundidad que alcanzan las agujas determina el resultado. Los dispositivos de clínica, con agujas más largas, actúan más a fondo y mejoran más las arrugas y cicatrices, pero requieren una recuperación más larga; los dispositivos caseros, con púas cortas, solo llegan a la superficie.",
            ),
            T(
                "How long a session takes depends on the size of the area being treated.",
                "La durée d’une séance dépend de la taille de la zone traitée.",
                "Wie lange eine Sitzung dauert, hängt von der Größe des behandelten Bereichs ab.",
                "La duración de una sesión depende del tamaño de la zona tratada.",
            ),
        ),
        "steps": [
            _step(
                T("Numbing the skin", "Anesthésie de la peau", "Betäubung der Haut", "Anestesia de la piel"),
                T(
                    "A numbing cream is spread over the area and given time to work.",
                    "Une crème anesthésiante est appliquée sur la zone et laissée agir.",
                    "Eine betäubende Creme wird auf den Bereich aufgetragen und darf einwirken.",
                    "Se aplica una crema anestésica en la zona y se deja actuar.",
                ),
            ),
            _step(
                T("Needling", "Microperforation", "Needling", "Micropunción"),
                T(
                    "The practitioner moves a roller or a pen-shaped device with fine needles across the skin, leaving tiny wounds; a little bleeding is normal.",
                    "Le praticien passe sur la peau un rouleau ou un appareil en forme de stylo muni de fines aiguilles, ce qui laisse de minuscules plaies ; un léger saignement est normal.",
                    "Die Fachkraft führt einen Roller oder ein stiftförmiges Gerät mit feinen Nadeln über die Haut und hinterlässt winzige Wunden; leichte Blutungen sind normal.",
                    "El profesional pasa por la piel un rodillo o un dispositivo en forma de pluma con agujas finas, que deja pequeñas heridas; un leve sangrado es normal.",
                ),
            ),
            _step(
                T("Aftercare", "Soins après la séance", "Nachsorge", "Cuidados posteriores"),
                T(
                    "A soothing serum or lotion may be applied to the treated skin.",
                    "Un sérum ou une lotion apaisante peut être appliqué sur la peau traitée.",
                    "Ein beruhigendes Serum oder eine Lotion kann auf die behandelte Haut aufgetragen werden.",
                    "Se puede aplicar un sérum o una loción calmante sobre la piel tratada.",
                ),
            ),
        ],
        "session_minutes_min": 10,
        "session_minutes_max": 20,
        "sessions_needed_min": 4,
        "sessions_needed_max": 6,
        "healing_days_min": 3,
        "healing_days_max": 21,
        "performed_by": ["dermatologist", "aesthetician"],
        "suitable_for": Prose(
            T(
                "People in good health whose skin concerns have not improved with over-the-counter products, other dermatological treatments or chemical peels.",
                "Les personnes en bonne santé dont les problèmes de peau n’ont pas été améliorés par des produits en vente libre, d’autres soins dermatologiques ou des peelings chimiques.",
                "Gesunde Menschen, deren Hautprobleme sich mit rezeptfreien Produkten, anderen dermatologischen Behandlungen oder chemischen Peelings nicht gebessert haben.",
                "Personas con buena salud cuyos problemas de piel no han mejorado con productos sin receta, otros tratamientos dermatológicos o peelings químicos.",
            ),
            T(
                "A dermatologist can tell you whether it is the right choice. For some people it is the last step before more complex cosmetic surgery.",
                "Un dermatologue peut vous dire si c’est le bon choix. Pour certaines personnes, c’est la dernière étape avant une chirurgie esthétique plus lourde.",
                "Eine Dermatologin oder ein Dermatologe kann Ihnen sagen, ob es die richtige Wahl ist. Für manche ist es der letzte Schritt vor aufwendigeren kosmetischen Eingriffen.",
                "Un dermatólogo puede decirle si es la opción adecuada. Para algunas personas es el último paso antes de una cirugía estética más compleja.",
            ),
        ),
    },
}
