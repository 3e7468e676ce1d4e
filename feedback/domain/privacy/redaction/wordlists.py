"""Small word lists that tell a name from an ordinary capitalised word.

Kept by hand: add a word when a comment shows it wrongly removed (or missed), and add
the comment to tests/redaction_corpus.jsonl so the change is measured.
"""


def _words(text):
    return frozenset(text.split())


# Forms of address and ranks. A strong title ("PC", "Mr") makes the next word a name
# even in lower case ("pc smith"); a weak one ("officer", "pan") only a capitalised word.
STRONG_TITLES = _words("""
mr mrs ms miss mx dr prof pc wpc pcso dc ds di dci dsi dsu supt sgt insp det
""")
WEAK_TITLES = _words("""
sir dame lady lord officer constable sergeant inspector detective superintendent
commander chief sister brother father rev reverend pastor imam rabbi vicar bishop
priest deacon
pan pani panu panem pana panią panie policjantce policjantowi funkcjonariuszowi
funkcjonariusz funkcjonariuszka policjant policjantka oficer
domnul domnului doamna doamnei dl dna polițistul polițista politistul politista
agentul ofițerul ofiterul ofițerului ofiterului polițistului polițistei
""")
# Lower-case titles taken as titles; "di" or "det" in lower case are other words.
LOWERCASE_TITLES = _words("mr mrs ms dr pc pcso sgt")

# People a victim names by relation: "my ex Darren", "mój mąż Tomasz", "soțul meu Mihai".
RELATIONS = _words("""
husband wife partner boyfriend girlfriend fiance fiancé fiancee fiancée ex spouse
son daughter child kid baby boy girl stepson stepdaughter grandson granddaughter
mum mom mother mam mummy dad father daddy stepdad stepfather stepmum stepmother
brother sister stepbrother stepsister cousin uncle aunt auntie aunty nephew niece
nan nana gran granny grandma grandmother grandad granddad grandpa grandfather
neighbour neighbor friend mate flatmate housemate roommate landlord landlady boss
manager colleague carer caseworker worker advocate idva solicitor teacher eldest
youngest oldest bf gf hubby wifey fella bestie bezzie stepkid
mąż żona partner partnerka syn córka brat siostra sąsiad sąsiadka ojciec matka
mama tata kolega koleżanka chłopak dziewczyna szef wujek ciocia kuzyn kuzynka
soțul sotul soția sotia fiul fiica fratele sora mama tata vecinul vecina
partenerul partenera partener prietenul prietena vărul verișoara unchiul mătușa șeful
""")

# Words after which a name follows: "my name is", "nazywam się", "mă numesc".
NAME_IS = (r"\b(?:(?:my|his|her|their|the)\s+names?\s+(?:is|was|are|were)|"
           r"my\s+name'?s|name\s*:|nazywam\s+si[eę]|nazywa\s+si[eę]|mam\s+na\s+imi[eę]|"
           r"ma\s+na\s+imi[eę]|m[aă]\s+numesc|se\s+nume[sș]te|numele\s+(?:meu|lui|ei)\s+"
           r"(?:este|e))")
# "called"/"named" only after a word that makes it a name, not "I called 999".
CALLED = (r"\b(?:(?:is|was|were|are|be|been|'s|man|woman|boy|girl|lad|guy|bloke|lady|kid|fella|"
          r"person|someone|somebody|one|neighbour|friend|officer|son|daughter|child|pc|"
          r"pcso|constable|detective|sergeant|inspector|worker|advocate|handler)\s+"
          r"(?:called|named)|known\s+as|call\s+me|aka|pe\s+nume)")
I_AM = r"\b(?:i'?m|i’m|i\s+am|jestem|sunt)"
# Words that make a name after them a nickname: "Fat Steve", "Little Jimmy".
NICKNAME_WORDS = _words("""
fat big little lil mad tall short skinny slim ginger young old crazy posh baby bad
scouse scally fast sweaty dodgy
""")
# After these a nickname in quotes is a name whatever its words: "known as 'Polish Pete'".
QUOTED_AFTER = (r"\b(?:called|named|known\s+as|aka|goes\s+by|go\s+by|went\s+by|"
                r"call(?:s|ed|ing)?\s+(?:him|her|them)(?:self|selves)?|nicknamed)")
# Nicknames: "goes by Tiny", "they call him Big Dave", "calling herself Auntie Bisi".
NICKNAMED = (r"\b(?:goes\s+by|go\s+by|went\s+by|call(?:s|ed|ing)?\s+(?:him|her)(?:self)?|"
             r"known\s+as|(?:they|everyone|people|we)\s+call(?:s|ed)?(?:\s+(?:him|her))?|"
             r"ask(?:ed|ing)?\s+for)")
# People are thanked by name: "Thank you to Abdirahman", "thanks Kayleigh".
THANKS = (r"\b(?:thank\s+you|thanks|thank|cheers|big\s+thanks|dzi[eę]kuj[eę]|"
          r"mul[tț]umesc)(?:\s+(?:so\s+much|very\s+much))?(?:\s+to)?")

# A name that is also an everyday word ("Will", "Grace") starting a sentence is a person
# when a verb for what a person does follows: "Hope answered", "Mark from the team".
PERSON_VERBS = _words("""
from answered rang phoned called came told said explained helped listened visited kept
took gave asked arrived stayed checked made sorted stood spoke talked emailed texted
says tells rings phones calls comes explains helps listens visits keeps takes gives
asks arrives stays checks makes sorts speaks talks emails texts promised promises
shouted shouts sat sits turned turns treated treats followed follows refused refuses
replied replies wrote writes drove drives walked walks brought brings sent sends
reassured reassures apologised apologises laughed laughs smiled smiles
""")
# After a capitalised word no list holds, first in its sentence, any of these verbs
# (or one ending in -ed) says it is the one who did something: "Tendai was great",
# "Oksana got me into a refuge".
VERBS = PERSON_VERBS | _words("""
was is has had did does got gets went goes left leaves knew knows saw sees found
finds thought thinks seemed seems tried tries wanted wants looked looks never always
also still just really actually literally even managed manages stole steals hit hits
broke breaks threatened threatens keeps kept lives lived works worked owns owned
""")
# ... or when "was"/"is" and one of these follow ("Will was the officer", "Grace was the
# only one"), or a comma and a role ("Mark, the PCSO"), or "at the" ("Faith at the desk").
DESCRIBED = _words("""
the a an so very really brilliant amazing great lovely kind fantastic excellent rude
helpful only first one patient polite professional
calm caring friendly supportive understanding sympathetic reassuring thorough honest
approachable compassionate empathetic attentive knowledgeable respectful gentle warm
dismissive unhelpful condescending patronising arrogant abrupt
""")
ROLES = _words("""
pcso pc officer detective sergeant inspector constable handler call dc ds sgt
liaison lady man woman one
""")
# ... or with no comma: "Bob the PCSO knows everyone".
ROLES_WITHOUT_COMMA = _words("pcso officer detective sergeant inspector constable")
# Words that begin a sentence before "from" and name nobody: "Calls from the team".
NOT_BEFORE_FROM = _words("""
apart aside far away straight help support nothing everything anything something
someone somebody nobody anyone anybody everyone everybody people staff police news
word feedback contact response advice data footage evidence video cctv hello hi
letter letters calls call texts text emails email messages message post
""")
# Shops and pubs named after people: "Marks and Spencer" is not two names.
NAMED_THINGS = (r"\b(?:marks\s*(?:and|&)\s*spencers?|m\s*&\s*s|john\s+lewis|"
                r"harvey\s+nichols|dorothy\s+perkins|ted\s+baker|jack\s+wills|"
                r"rose\s+and\s+crown|king'?s\s+head|queen'?s\s+head|"
                r"the\s+[a-z]+\s+and\s+[a-z]+(?=\s+pub\b))")

# Capitalised words that are never a name on their own, even when the name list has
# them: days, months, feasts, languages and nationalities, faiths, places in London and
# beyond, services victims mention, car makes (a "black Ford" is a car), the areas police
# forces are named after ("Avon and Somerset"), banks, shops and apps, public bodies, and
# words of texting ("Omg the officer was kind").
NOT_NAMES = _words("""
monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december christmas easter eid diwali
ramadan hanukkah halloween
english british french polish romanian irish scottish welsh arabic arab muslim
christian jewish hindu sikh catholic asian african caribbean european indian
pakistani bangladeshi nigerian somali turkish kurdish spanish italian portuguese
german russian ukrainian chinese lithuanian albanian brazilian ghanaian jamaican
god allah jesus lord mum dad nan gran sir madam everyone everybody officers staff guys
london england britain uk scotland wales ireland poland romania europe victoria
north south east west northern southern eastern western central greater
pole poles brit brits scot scots welshman irishman englishman
kingston sutton richmond bromley barnet brent harrow ealing camden chelsea stratford
wembley brixton lewisham croydon hackney peckham tottenham walthamstow whitechapel
holloway tooting stockwell catford sydenham hendon edmonton enfield ilford romford
hornchurch southall hounslow acton kilburn paddington marylebone mayfair soho holborn
charing westminster lambeth southwark greenwich woolwich bexley bexleyheath dagenham
barking havering redbridge newham hillingdon haringey islington kensington fulham
hammersmith merton wandsworth battersea clapham streatham dalston bow poplar
hampton chiswick putney wimbledon morden mitcham norwood dulwich deptford
manchester birmingham leeds liverpool bristol glasgow edinburgh cardiff belfast
kent essex surrey sussex warsaw bucharest krakow kraków gdansk gdańsk iasi
met police nhs cps iopc havens haven refuge samaritans crimestoppers galop shelter
mind respect solace victim support aid advice crisis fraud crown royal safer
court station hospital google facebook instagram whatsapp snapchat tiktok gumtree
amazon ebay tesco sainsbury asda lidl aldi boots uber bolt
avon somerset devon cornwall dorset wiltshire gloucestershire hampshire thames sussex
suffolk norfolk cambridgeshire bedfordshire hertfordshire lincolnshire leicestershire
northamptonshire nottinghamshire derbyshire staffordshire warwickshire mercia midlands
cheshire merseyside lancashire cumbria durham cleveland northumbria humberside
yorkshire gwent dyfed powys
lloyds natwest barclays hsbc santander halifax nationwide monzo revolut starling
paypal klarna vinted depop etsy greggs primark argos currys wickes morrisons waitrose
iceland coop co-op specsavers superdrug costa starbucks mcdonalds deliveroo evri
hermes dpd yodel dhl vodafone virgin talktalk netflix apple samsung iphone android
xbox playstation roblox fortnite discord telegram twitter youtube tinder hinge bumble
grindr airbnb rightmove zoopla visa mastercard
aviva admiral axa allianz zurich esure lv shein temu boohoo arlo trainline citymapper gatwick
heathrow stansted kyiv
dari pashto tigrinya amharic lingala twi punjabi urdu bengali sylheti mirpuri gujarati
tamil tagalog sorani kurmanji farsi
ofcom ofsted ofgem hmrc dvla dvsa dwp tfl ulez acas
omg lol tbh idk ppl thx pls plz btw imo fyi asap ffs smh wtf tho cuz coz cos ur yh
yeah yea nah ok okay hmm erm innit bruv tryna aint yall tbf ngl lmao wiv hav cudnt wudnt
shudnt didnt doesnt havent hasnt werent arent couldnt wouldnt shouldnt youre theyre
theres whats thats dunno gonna wanna gotta lemme shouldve wouldve couldve mustve mightve
hes shes theyve weve youve theyll youll shell hed theyd youd wed isnt ima imma alot
ford vauxhall astra corsa golf polo transit focus fiesta bmw audi mercedes toyota
honda nissan kia hyundai fiat mini jaguar rover lexus tesla skoda seat peugeot
renault citroen volvo mazda prius yaris qashqai
""")
# A name-like word followed by one of these is a place or a service ("Victoria Park",
# "Rose Lane", "King's Cross", "Royal London").
PLACE_WORDS = _words("""
street st road rd lane avenue ave park green hill cross court station hospital common
square town broadway bridge gardens centre center school college university academy
estate house tower way place close market library church mosque temple gurdwara
police custody magistrates crown team unit borough council primary surgery clinic
ward tube underground overground airport services support aid trust foundation
london road's street's
""")
# Function words in English, Polish and Romanian: never part of a name.
FUNCTION_WORDS = _words("""
the a an and or but nor so yet was were is are be been being has had have having do
does did done who whom whose which that this these those there here to of in on at
for from with without by as into onto about after before because when where what why
how if then than also said says told came come went go gone get got me my mine him
her hers his she he they them their we us our you your it its i not no yes very
really still again please thanks thank would could should will can may might must
never always just only even too all any some every each other another one two three
am im i'm i've i'd i'll ive id ill didnt didn't wasnt wasn't dont don't cant can't
wont won't isnt isn't
i a ale nie tak się sie że ze to jest był była było byli na w we z ze do po od mnie mi
mój moja moje pan pani jak co kto gdzie kiedy bo czy już juz jeszcze bardzo tylko
și si a am ai are au nu da la pe cu de în in din că ca mă ma m-a meu mea lui ei este
e sunt fost foarte mai dar sau ce care când cand unde
""")

# The last word of the name of a small workplace or school ("Kowalczyk's Bakery",
# "Hollydale Primary"): with a word of its own before it, the name points to a few
# people. Hospitals, stations and courts are left: many people pass through them.
INSTITUTIONS = _words("""
bakery bakers roofing roofers builders groundworks plumbing electrical cleaning
solicitors accountants agents agency nursery preschool pre-school primary
academy school college infants practice club pharmacy chemist chemists newsagents
newsagent hardware surgery café cafe restaurant takeaway salon barbers barber garage
motors ltd limited plc centre center gym studio studios store stores shop deli
kitchen launderette laundrette hotel home carpets abc
montessori juniors kindergarten tutors tuition
dental dentists dentistry orthodontics opticians optometrists physio physiotherapy
osteopathy chiropractic podiatry chiropody clinic veterinary vets cattery kennels
grooming
tandoori balti kebab kebabs pizzeria pizzas grill grillhouse diner bistro brasserie
trattoria noodle noodles sushi chippy bar pub inn tavern tearoom tearooms patisserie
butchers butcher grocers greengrocers fishmonger supermarket minimart wholesale
catering caterers bakehouse coffee lounge shisha nightclub
hairdressers hairdresser beauty nails spa tanning tattoo tattoos piercing
scaffolding plasterers plastering decorators decorating joinery joiners carpentry
glazing flooring tiling landscaping gardening fencing paving driveways removals
skips haulage logistics couriers cabs taxis minicabs autos tyres bodyshop repairs
valeting locksmiths locksmith lettings estates construction developments
consultants consultancy associates recruitment printers printing laundry
dry-cleaners tailors alterations florist florists jewellers pawnbrokers electronics
furniture interiors kitchens bathrooms depot factory stables
larder pantry foodbank
""")
# Words that describe a place of that kind and name none: "the Leisure Centre",
# "St ... RC Primary" still needs a word of its own.
DESCRIPTORS = _words("""
the a an my our his her their this that local primary secondary junior juniors infant
infants high grammar rc ce c of e catholic church st saint leisure sports sport care
dental veterinary vets medical health day boys girls community youth nursing
residential family children's childrens shopping job boxing fitness dance music
driving main new old north south east west upper lower city town sixth
""")
# "I work at ...", "works for ...": the capitalised words after them name a workplace.
WORK_AT = (r"\b(?:i\s+work|i\s+wrk|works|working|worked|employed|job|study|studies|"
           r"studying)\s+(?:at|for|by)\b")
# "... where I work", "... where she works": the capitalised words before them too.
# It starts where a run of blanks starts and takes the blanks possessively: tried from
# every blank of a long run, \s*,?\s+ took about 9 s on a comment of 2,000 spaces.
WHERE_WORK = (r"(?<!\s)(?:\s*+,)?\s++where\s+(?:i|he|she|they|we|my\s+\w+)\s+(?:work|works|worked|"
              r"study|studies|studied|train|trains|volunteer|volunteers)\b")
