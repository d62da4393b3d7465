"""The offline extractor's word lists: small, general and hand-written, not a model of anything.

Keys are lower case; a phrase is looked up by its words joined with one space.
"""

from __future__ import annotations

PERSON = "person"
ORGANIZATION = "organization"
PLACE = "place"
TECHNOLOGY = "technology"
OTHER = "other"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A capitalised name after one of these is a person (the title is not part of the name).
TITLES = _words("dr mr mrs ms miss prof professor sir dame lord lady president senator judge captain general")

# Roles written before a name: "Founder Sophie Tremblay" names Sophie Tremblay, a person.
ROLES = _words(
    "founder co-founder cofounder coach engineer engineers author co-author chairman chairwoman chair "
    "director editor manager minister mayor scientist researcher reporter spokesperson"
)

# A capitalised phrase that ends with one of these is an organisation ("Acme Ltd", "Globex GmbH").
ORGANIZATION_SUFFIXES = _words(
    "inc ltd llc gmbh ag sa plc corp corporation co company foundation university institute labs "
    "laboratories group bank systems technologies software association society council agency "
    "college academy museum hospital ministry department organization organisation union"
)

# Words that let "of" join a phrase: "University of Leeds", "Bank of England".
OF_HEADS = _words(
    "university institute bank department ministry museum college academy school council society "
    "association republic kingdom church city"
)

# Lower-case words that may sit inside a name when a capitalised word follows ("Leonardo da Vinci").
NAME_PARTICLES = _words("de da di del van von der den la le bin al")

GIVEN_NAMES = _words(
    """
    aaron ada adam ahmed aisha alan albert alex alice amelia amir ana andrea andrew angela anna
    anne antonio arjun ben benjamin bob carla carlos caroline charles charlotte chen chris claire
    daniel david diana diego dmitri edward elena elizabeth emily emma eric eva fatima felix fiona
    francesca frank george grace hannah hans harry helen henry ingrid isabel jack james jane javier
    jean jennifer jessica john jonas jose joseph julia karen kate katherine kenji lars laura lea
    leo linda lisa lucas lucia luis maria marie mark martin mary matteo michael miguel mohammed
    nadia nina noah olivia omar oscar pablo paul peter priya rachel rajesh robert rosa ruth sam
    samuel sara sarah sofia sophie stefan susan thomas tim tom victor wei william yuki zoe
    """
)

PLACES = _words(
    """
    africa amsterdam argentina asia athens australia austria bangalore barcelona beijing belgium
    berlin boston brazil brussels cairo california canada chicago china copenhagen denmark dublin
    edinburgh egypt england europe finland france frankfurt geneva germany glasgow greece hamburg
    helsinki india ireland istanbul italy japan kenya lagos leeds lisbon london madrid manchester
    melbourne mexico milan montreal moscow mumbai munich nairobi netherlands nigeria norway oslo
    paris poland portugal prague rome russia scotland seattle seoul shanghai singapore spain
    stockholm sweden switzerland sydney taiwan texas tokyo toronto turkey ukraine vancouver vienna
    wales warsaw zurich
    """
) | frozenset(
    [
        "new york", "san francisco", "los angeles", "hong kong", "united states", "united kingdom",
        "south africa", "new zealand", "buenos aires", "rio de janeiro", "tel aviv", "cape town",
        "silicon valley", "new delhi", "sao paulo", "the hague",
    ]
)  # fmt: skip

TECHNOLOGIES = _words(
    """
    python java javascript typescript rust golang ruby php kotlin swift scala haskell erlang
    elixir perl lua julia fortran cobol c++ c# sql html css linux windows macos android ios unix
    docker kubernetes terraform ansible git github gitlab postgresql postgres mysql sqlite mongodb
    redis kafka rabbitmq elasticsearch nginx apache django flask fastapi rails react vue angular
    node.js numpy pandas pytorch tensorflow spark hadoop jenkins jira slack firefox chrome emacs
    vim llvm gcc webassembly graphql grpc
    """
) | frozenset(["visual studio code", "ruby on rails", "google cloud", "amazon web services"])

ORGANIZATIONS = _words(
    """
    google microsoft apple amazon meta facebook ibm intel nvidia oracle mozilla netflix samsung sony
    siemens toyota tesla spotify uber airbnb openai anthropic nasa unesco unicef nato cern
    reuters
    """
) | frozenset(["european union", "united nations", "red cross", "linux foundation", "apache software foundation"])

# Capitalised words that are not names: sentence openers, pronouns, days, months and the like.
NOT_NAMES = _words(
    """
    a an the this that these those it its he she they we i you his her their our my your there here
    in on at by for from with without of to and or but if when while after before since during
    then so yet also however meanwhile today yesterday tomorrow later last next every each all some
    many most few several both one two three four five first second third new old
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december
    mr mrs ms dr prof ceo cto cfo coo vp phd api ai http url json
    """
)
