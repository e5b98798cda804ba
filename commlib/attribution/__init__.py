"""Root-cause attribution: find the one source behind tickets that look unrelated.

A noodle stall draws complaints about noise, sewage, illegal wiring, cooking fumes and
blocked pavement; each goes to a different department, and nobody sees that they share
one cause. This module links such tickets to a *source*: a place (``address_key``, with
differently written addresses of one building merged) and, where the texts name one, an
entity (面馆, 烧烤店, 工地, 快递点 ...). A source stands out when many tickets of many
distinct categories, handled by many departments, arrive at one place in a short window
that the place's own history does not explain.

- :func:`link_sources` ranks sources and maps tickets to them (:class:`SourceLinks`).
- :func:`source_timeline` draws one source's tickets by category over time.
- :func:`extract_entities` and :func:`entity_lexicon` find the named shop, stall or site
  in each text, from a bundled, extensible word list (``resources/entity_words.csv``).
- :func:`problem_kinds` groups near-synonym request types into kinds of problem and
  marks workflow types (inspections, call logs), for ``link_sources(kinds="auto")``.
- :func:`place_aliases` learns which compound-style addresses (枫林新村7号) are the
  same building as a road-style one (青枫路350弄7号), from the tickets themselves.

Everything here works on English 311 data too: ``complaint_type`` is the category,
``agency`` the department and ``Incident Address`` the address.
"""

from commlib.attribution._chart import source_timeline
from commlib.attribution._entities import entity_lexicon, extract_entities
from commlib.attribution._kinds import problem_kinds
from commlib.attribution._link import SourceLinks, link_sources
from commlib.attribution._places import place_aliases

__all__ = [
    "SourceLinks",
    "entity_lexicon",
    "extract_entities",
    "link_sources",
    "place_aliases",
    "problem_kinds",
    "source_timeline",
]
