"""The offline extractor measured on a hand-labelled corpus (tests/fixtures/knowledge: 20 short
documents written for this test and their answer key): entity-level precision and recall after the
evidence check, held above stated floors. The corpus and the rules were written by the same hand, so
these figures flatter the rules; they guard against regressions, not for a claim of quality."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

from agentry.adapters.extraction.offline import OfflineRuleExtractor
from agentry.application.knowledge.ports.extraction import ChunkText
from agentry.domain.knowledge.evidence import check_evidence
from agentry.domain.knowledge.facts import ExtractedEntity
from agentry.domain.knowledge.resolution import normalise_name

CORPUS = Path(__file__).parents[2] / "fixtures" / "knowledge"
# Measured 2026-12-06: precision 1.000 and recall 1.000 on names (109 entities), 0.835 with types
# (the printout of this test gives them); the floors sit a little under: five misses fail it.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.95
TYPED_FLOOR = 0.80


def names_of(name: str, aliases: list[str] | tuple[str, ...]) -> set[str]:
    return {normalise_name(each) for each in (name, *aliases)}


async def test_the_offline_extractor_finds_the_labelled_entities_above_its_floors() -> None:
    key = json.loads((CORPUS / "answer_key.json").read_text())
    assert len(key) == 20 and sorted(key) == sorted(path.stem for path in CORPUS.glob("*.txt"))
    extractor = OfflineRuleExtractor()
    counts = {"predicted": 0, "gold": 0, "right": 0, "found": 0, "right_typed": 0, "found_typed": 0}
    pairs = {"gold": 0, "found": 0}
    misses: list[str] = []
    for ordinal, (document, labels) in enumerate(sorted(key.items())):
        chunk = ChunkText(UUID(int=ordinal + 1), (CORPUS / f"{document}.txt").read_text())
        extraction = check_evidence(await extractor.extract([chunk]), {chunk.id: chunk.text})
        gold = [(names_of(each["name"], each["aliases"]), each["type"]) for each in labels["entities"]]
        predicted = [(names_of(each.name, each.aliases), each.type) for each in extraction.entities]
        counts["predicted"] += len(predicted)
        counts["gold"] += len(gold)
        for names, type_ in predicted:
            counts["right"] += any(names & truth for truth, _ in gold)
            counts["right_typed"] += any(names & truth and type_ == kind for truth, kind in gold)
            if not any(names & truth for truth, _ in gold):
                misses.append(f"{document}: extra {sorted(names)}")
        for truth, kind in gold:
            counts["found"] += any(names & truth for names, _ in predicted)
            counts["found_typed"] += any(names & truth and type_ == kind for names, type_ in predicted)
            if not any(names & truth for names, _ in predicted):
                misses.append(f"{document}: missed {sorted(truth)}")
        pairs["gold"] += len(labels["relationships"])
        pairs["found"] += sum(
            any(_joins(relation, found.source, found.target, extraction.entities) for found in extraction.relationships)
            for relation in labels["relationships"]
        )
    precision, recall = counts["right"] / counts["predicted"], counts["found"] / counts["gold"]
    typed_precision = counts["right_typed"] / counts["predicted"]
    typed_recall = counts["found_typed"] / counts["gold"]
    print(
        f"\noffline-rules on {len(key)} documents: entity precision {precision:.3f} recall {recall:.3f} "
        f"({counts['predicted']} predicted, {counts['gold']} labelled); with types: precision "
        f"{typed_precision:.3f} recall {typed_recall:.3f}; labelled relationships whose two ends it "
        f"relates (related_to): {pairs['found']}/{pairs['gold']}"
    )
    print("\n".join(misses))
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR
    assert min(typed_precision, typed_recall) >= TYPED_FLOOR


def _joins(labelled: dict[str, str], source: str, target: str, entities: tuple[ExtractedEntity, ...]) -> bool:
    def names(name: str) -> set[str]:
        entity = next((each for each in entities if normalise_name(each.name) == normalise_name(name)), None)
        return names_of(name, entity.aliases if entity else ())

    ends = {normalise_name(labelled["source"]), normalise_name(labelled["target"])}
    return bool(names(source) & ends) and bool(names(target) & ends) and names(source) != names(target)
