"""Word lists shared by redaction and wording, with no dependencies."""

from __future__ import annotations

# Words written with a capital that are not names: days, months, festivals, and the
# nationalities, languages and faiths notes mention (also kept capitalised in bullets).
PROPER_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday christmas easter eid ramadan
    diwali january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec
    afghan albanian arabic bangladeshi bengali bulgarian chinese congolese czech eritrean
    ethiopian filipino ghanaian gujarati hindi hungarian indian iranian iraqi irish italian
    jamaican kenyan kurdish latvian lithuanian malayalam nigerian pakistani pashto persian
    farsi polish portuguese punjabi romanian roma russian slovak somali sorani spanish
    sudanese syrian tamil tigrinya turkish ukrainian urdu vietnamese welsh yemeni yoruba
    zimbabwean igbo amharic dari lingala swahili twi traveller gypsy muslim christian hindu
    sikh jewish catholic orthodox buddhist rastafarian islamic halal kosher""".split()
)
