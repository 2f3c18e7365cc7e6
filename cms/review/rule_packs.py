"""The starting claims rule packs of the four demo markets, each entry citing its source.

Created once per market by :func:`ensure_rule_packs` (the review setup runs it); after
that the admin owns them (Medical sign-off › Claims rules). Patterns are in the
market's language and matched ignoring case.

Sources:
- UK: CAP Code (the UK Code of Non-broadcast Advertising), section 3 (misleading
  advertising, 3.7 substantiation), section 12 (medicines, medical devices, health-related
  products and beauty products: 12.1 evidence, 12.12 prescription-only medicines) and
  the CAP guidance on cosmetic interventions.
- Germany: Heilmittelwerbegesetz (HWG) § 3 (misleading: guaranteed success, no harmful
  effects) and § 11 (1) Satz 3 Nr. 1 with (1) 5 (before/after images of cosmetic procedures).
- France: Code de la santé publique L.5122-1 ff. and the ANSM's advertising recommendations;
  Code de la consommation L.121-2 (misleading practices).
- Spain: Real Decreto 1907/1996 (advertising of products with health claims), art. 4.
- Claims needing evidence follow the FTC's “competent and reliable scientific evidence”
  standard and CAP Code 12.1.
"""

from cms.review.models import ClaimRule, Market

F, RX, BA, CITE = (
    ClaimRule.Kind.FORBIDDEN,
    ClaimRule.Kind.PRESCRIPTION,
    ClaimRule.Kind.BEFORE_AFTER,
    ClaimRule.Kind.NEEDS_CITATION,
)

PACKS = {
    "en-GB": [
        (
            F,
            "No promise of painlessness",
            r"\bpain(-|\s)?(less|free)\b",
            "CAP Code 12.1; CAP cosmetic interventions guidance",
        ),
        (F, "No permanent results", r"\bpermanent(ly)?\b", "CAP Code 3.7, 12.1"),
        (F, "No guaranteed results", r"\bguarantee(d|s)?\b", "CAP Code 3.1, 3.7"),
        (F, "No claim of being risk-free", r"\b(risk|side[- ]effect)[- ]free\b|\bno risks?\b", "CAP Code 12.1, 12.2"),
        (
            RX,
            "Botulinum toxin is prescription-only",
            r"\bbotox\b|\bbotulinum\b|\bazzalure\b|\bbocouture\b",
            "CAP Code 12.12; Human Medicines Regulations 2012 reg. 284",
        ),
        (
            RX,
            "Prescription-only local anaesthetics and retinoids",
            r"\btretinoin\b|\bhyaluronidase\b|\bisotretinoin\b",
            "CAP Code 12.12",
        ),
        (
            CITE,
            "Efficacy claims need evidence",
            r"\bclinically (proven|tested)\b|\bstudies (show|prove)\b|\bscientifically proven\b",
            "CAP Code 12.1; FTC competent and reliable scientific evidence",
        ),
    ],
    "fr-FR": [
        (
            F,
            "Pas de promesse d'absence de douleur",
            r"\bindolore\b|\bsans douleur\b",
            "Code de la consommation L.121-2",
        ),
        (F, "Pas de résultat définitif", r"\bd[ée]finitif\b|\bpermanent\b", "Code de la consommation L.121-2"),
        (
            F,
            "Pas de résultat garanti",
            r"\bgaranti(e|s)?\b",
            "Code de la santé publique L.5122-2; Code de la consommation L.121-2",
        ),
        (F, "Pas d'absence de risque", r"\bsans (aucun )?risque\b", "Code de la santé publique L.5122-2"),
        (
            CITE,
            "Efficacité à démontrer",
            r"\bcliniquement prouv[ée]e?\b|\bles [ée]tudes (montrent|prouvent)\b",
            "Code de la santé publique L.5122-2; FTC evidence standard",
        ),
    ],
    "de-DE": [
        (F, "Keine Schmerzfreiheit versprechen", r"\bschmerzfrei\b|\bschmerzlos\b", "HWG § 3 Satz 2 Nr. 2 b"),
        (F, "Keine dauerhaften Ergebnisse versprechen", r"\bdauerhaft\b|\bpermanent\b", "HWG § 3 Satz 2 Nr. 2 a"),
        (F, "Kein garantierter Erfolg", r"\bgarantiert\b|\bgarantie\b", "HWG § 3 Satz 2 Nr. 2 a"),
        (F, "Keine Risikofreiheit", r"\brisikolos\b|\bohne risiko\b|\brisikofrei\b", "HWG § 3 Satz 2 Nr. 2 b"),
        (BA, "Keine Vorher-Nachher-Bilder", r"vorher.{0,40}nachher|before.{0,40}after", "HWG § 11 Abs. 1 Satz 3 Nr. 1"),
        (
            CITE,
            "Wirksamkeit belegen",
            r"\bklinisch (erwiesen|getestet|bewiesen)\b|\bstudien (zeigen|belegen)\b",
            "HWG § 3 Satz 2 Nr. 1; FTC evidence standard",
        ),
    ],
    "es-ES": [
        (F, "Sin promesa de ausencia de dolor", r"\bindoloro\b|\bsin dolor\b", "Real Decreto 1907/1996 art. 4.2"),
        (F, "Sin resultados permanentes", r"\bpermanente(s)?\b|\bdefinitivo(s)?\b", "Real Decreto 1907/1996 art. 4"),
        (F, "Sin resultados garantizados", r"\bgarantizad[oa]s?\b", "Real Decreto 1907/1996 art. 4.7"),
        (F, "Sin ausencia de riesgo", r"\bsin riesgos?\b", "Real Decreto 1907/1996 art. 4"),
        (
            CITE,
            "Eficacia con respaldo",
            r"\bcl[íi]nicamente (probado|demostrado)\b|\blos estudios (muestran|demuestran)\b",
            "Real Decreto 1907/1996 art. 4.9; FTC evidence standard",
        ),
    ],
}


def ensure_rule_packs():
    """Give each demo market its starting pack, unless it has rules already."""
    for code, entries in PACKS.items():
        market = Market.objects.filter(code=code).first()
        if market is None or market.rules.exists():
            continue
        for kind, name, pattern, source in entries:
            ClaimRule.objects.create(market=market, kind=kind, name=name, pattern=pattern, source=source)
