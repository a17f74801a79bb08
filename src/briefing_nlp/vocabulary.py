"""Word lists shared by redaction and wording, with no dependencies."""

from __future__ import annotations

# Words written with a capital that are not names: days, months, festivals, and the
# nationalities, countries, languages and faiths notes mention (also kept capitalised in
# bullets): "came from Eritrea", "Kurmanji spoken at home" are the child's identity.
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
    sikh jewish catholic orthodox buddhist rastafarian islamic halal kosher xmas
    kurmanji romany romani sylheti mirpuri patois creole tagalog hausa oromo krio shona zulu
    xhosa cantonese mandarin hebrew serbian croatian bosnian macedonian armenian azerbaijani
    uzbek pashtun hazara baloch rohingya burmese nepali sinhala telugu kannada marathi
    ndebele luganda kinyarwanda wolof fula
    afghanistan albania algeria angola bangladesh bosnia brazil bulgaria burundi cameroon
    colombia congo croatia cyprus czechia egypt eritrea ethiopia gambia germany ghana guinea
    hungary iran iraq italy jamaica kosovo kurdistan latvia lebanon libya lithuania malawi
    malaysia morocco nepal nigeria pakistan palestine philippines poland portugal romania
    russia rwanda senegal slovakia somalia somaliland spain sudan syria tanzania tunisia
    turkey uganda ukraine vietnam yemen zambia zimbabwe
    afaan darfur tigray oromia khartoum mogadishu kabul kandahar helmand herat aleppo
    damascus idlib baghdad erbil kirkuk tehran calais lampedusa""".split()
)
# Left out on purpose: countries and nationalities that are also names or surnames
# (Jordan, Chad, Georgia, India, Kenya, Israel; England, Ireland, Wales, French, German).
