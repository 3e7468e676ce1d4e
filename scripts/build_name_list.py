"""Build feedback/domain/privacy/redaction/names.txt, the forenames and surnames redaction looks
for.

Run by hand when the sources change (the output is committed, so the service needs
neither Faker nor the word lists at run time):

    apt-get install wbritish wbritish-large wpolish   # the word lists, Debian packages
    .venv/bin/python scripts/build_name_list.py

Sources, all free to reuse:
- Faker (MIT licence, pinned in requirements-dev.txt), its person providers:
  en_GB (ONS forenames and surnames), en_IE, en (US Social Security forenames),
  en_NG, en_IN, en_PK (Pakistani and Arabic names in Latin letters),
  pl_PL (Polish forenames and 3,900 surnames) and ro_RO (Romanian).
- ARABIC_* below: common Arabic forenames and surnames in the Latin spellings used in
  the UK, written for this service (Faker's Arabic providers are in Arabic script),
  the most common Polish and Romanian surnames (a few missing from Faker), and
  forenames common in London that Faker lacks (older Polish, Somali, West African).
- Wider lists, round 4 (both pinned in requirements-dev.txt, build time only):
  gender-guesser's nam_dict (GFDL; Jörg Michael's list of about 48,000 forenames
  from 50 countries) and the US census surnames shipped by the `names` package
  (88,799, most common first). Only a name that the larger word list does not hold
  in any case is taken ("Sukhvinder", "Mykola", "Tkachenko"; not "Age", "Argentina"),
  and from the census the 5,000 commonest surnames also when that list knows them
  only as proper nouns ("Nguyen", "Chen", "Martinez"), places and brands aside. These
  names are flagged r: redaction takes them when capitalised, never in lower case.
- Word lists (Debian wbritish and wpolish): a name that is also an everyday word
  ("Will", "Grace", "Brown", "Wilk") is marked so redaction needs more context
  before it removes it.

Each line of the output is a name in lower case, then a tab and flags:
f forename, s surname, w also an everyday word, r only in the wider lists.

It also writes feedback/domain/privacy/redaction/words.txt: every other word of the larger British
English list (wbritish-large, places and brands it knows included) and of the UK towns
that name phone areas (the phonenumbers package's geocoding data, Apache licence), in
lower case. A
capitalised word in neither file is most likely a name no list holds ("Oksana took my
call"), so redaction can take it when what follows says a person. The larger list is
not used for the "w" flag: it counts Charlie, Henry and Molly as everyday words.
"""

import importlib
import os
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LOCALES = ["en_GB", "en_IE", "en", "en_NG", "en_IN", "en_PK", "pl_PL", "ro_RO",
           # Communities victims in London come from, whose names the lists above
           # lack (Irish, Igbo, Yoruba, Hausa, Akan, Kenyan, Swahili, Zulu, Baltic,
           # Turkish, Portuguese and Brazilian). Names in other scripts are skipped:
           # comments spell them in Latin letters. Not Czech, Slovak or Hungarian: typed
           # without accents, their surnames are Romanian words ("Mașina", a car).
           "ga_IE", "ig_NG", "yo_NG", "ha_NG", "tw_GH", "en_KE", "sw", "zu_ZA", "lt_LT",
           "lv_LV", "tr_TR", "pt_PT", "pt_BR"]
ENGLISH_WORDS = Path("/usr/share/dict/british-english")
ALL_ENGLISH_WORDS = Path("/usr/share/dict/british-english-large")
POLISH_WORDS = Path("/usr/share/dict/polish")
# The Polish list holds every inflected form, so it is asked only about surnames:
# otherwise common forenames such as Marek (also "of brands") would need context.
CORE_FORENAME_LOCALES = ["en_GB", "pl_PL", "ro_RO"]
OUTPUT = Path(__file__).resolve().parent.parent / "feedback" / "redaction" / "names.txt"
WORDS_OUTPUT = OUTPUT.with_name("words.txt")

ARABIC_FORENAMES = """
Abdallah Abdel Abdelaziz Abdul Abdulaziz Abdullah Abdulrahman Adel Adnan Ahmad Ahmed
Aisha Ala Alaa Ali Amal Amani Amin Amina Amir Amira Amr Anas Asma Ayesha Ayman Aziz
Bashir Basma Bilal Dalia Dina Duaa Ebrahim Eman Fadi Fahad Faisal Farah Farid Fatema
Fatima Fatma Fawzi Feras Ghada Hadi Hala Hamad Hamid Hamza Hana Hanan Haneen Hassan
Hatem Haya Heba Hesham Hiba Hind Hisham Hoda Huda Hussain Hussein Ibrahim Iman Imran
Isa Ismail Jamal Jamila Jana Kareem Karim Khadija Khaled Khalid Khalil Laila Lama
Lamya Layla Leila Lina Luay Maha Mahmoud Majed Majid Malak Manal Mansour Mariam Marwa
Maryam Maysa Mohamad Mohamed Mohammad Mohammed Mona Mostafa Muhammad Muna Mustafa
Nabil Nada Nadia Nadir Naji Nasser Nawal Nizar Noor Nour Nura Omar Osama Qasim Rami
Rana Rania Rashid Rasha Reem Ridha Rima Saad Sabah Safa Safiya Said Saleh Salim Salma
Salman Sami Samia Samir Samira Sana Sara Sarah Sayed Shadi Sherif Suha Sultan Tamer
Tareq Tariq Umar Wael Walid Wafa Waleed Yahya Yara Yasin Yasmin Yasmine Yazan Yousef
Youssef Yusuf Zahra Zaid Zainab Zakaria Zeinab Ziad
"""
ARABIC_SURNAMES = """
Abbas Abboud Abdelrahman Abdi Abdullahi Aboud Ahmadi Al-Ahmad Al-Ali Al-Hassan
Al-Masri Al-Sayed Alami Ashour Awad Aziz Bakr Barakat Darwish El-Sayed Elsayed
Farag Farouk Farooq Ghanem Haddad Hakim Halabi Hamdan Hamdi Hammoud Haroun Hashem
Hassan Hijazi Hussain Hussein Ibrahim Issa Jaber Karimi Kassem Khalil Khoury Mahmoud
Mansour Masri Mustafa Nasr Nasser Osman Qureshi Rahman Rashid Saad Saber Sabri Saleh
Salem Shaheen Shaikh Sharif Suleiman Taha Yassin Youssef Zaki
"""
# The most common Polish and Romanian surnames, some missing from Faker (Nowak).
POLISH_ROMANIAN_SURNAMES = """
Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański
Woźniak Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk
Kaczmarek Piotrowski Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński
Wróbel Nowakowski Majewski Olszewski Stępień Malinowski Jaworski Adamczyk Dudek
Popa Popescu Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Ionescu Rusu Munteanu
Constantin Marin Moldovan Georgescu Ene Stanciu Florea Dinu Tudor Lazăr Barbu Mihai
Dobre Toma Sandu Nistor Ungureanu Oprea Vasile Stoian Dragomir Badea Neagu Cristea
Ilie Anghel Coman Voicu Mocanu Lungu Nedelcu Preda Enache Avram Diaconu
"""
# Forenames common in London that Faker lacks: older Polish ones, Somali, and
# Yoruba, Igbo and Akan ones, in their usual Latin spellings; then Welsh, Scottish
# Gaelic and Cornish ones, and South Asian ones (Faker's Indian lists are in Indian
# scripts).
COMMUNITY_FORENAMES = """
Iwan Eleri Gwion Siân Sian Carys Cerys Dafydd Ffion Gethin Owain Bethan Angharad Catrin
Eluned Gwenllian Lowri Nia Seren Sioned Aled Alun Emrys Geraint Gruffydd Huw Ieuan
Meirion Rhodri Rhian Rhiannon Osian Tomos Elin Elis Iestyn Hywel Idris Ifan Heledd
Mared Manon Mererid Glesni Caryl Gwenno Llinos Menna Delyth Dilys Gwyneth Bryn Cadi
Eilidh Mhairi Catriona Ailsa Ruaridh Ruairidh Lachlan Murdo Struan Seonaidh Peigi
Seumas Alasdair Morag Kirsteen Iseabail Ceitidh Eachann Ruairi Tormod Sorcha Oighrig
Morwenna Tamsin Demelza Jago Kerensa Loveday Locryn Wenna Jenifer Tressa Lowenna
Sunita Shahnaz Anjali Priya Pooja Kavita Sunil Rajesh Ramesh Suresh Harjit Harpreet
Gurpreet Jaspreet Manpreet Navdeep Simran Parminder Kuldeep Rupinder Balwinder Hardeep
Shabnam Nasreen Rukhsana Shazia Farzana Tahmina Rehana Shamima Nazia Salma Ruksana
Mo Mohammed Mohamed
Halina Danuta Bożena Grażyna Jadwiga Małgorzata Iwona Beata Wiesław Zbigniew Henryk
Mirosław Janusz Sławomir Krystyna Elżbieta Urszula Dorota Renata Jolanta Wiesława
Stanisława Zdzisław Czesław Bogusław Leszek Ryszard Tadeusz Kazimierz Jerzy Wojciech
Abdirahman Abdirahim Abdiaziz Abdiqani Abdikarim Mohamud Mohamed Hodan Fadumo Asad
Warsame Ayan Hawa Hibo Sahra Nasra Idil Ifrah Ilhan Deqa Filsan Liban Guled Abdiwali
Chidi Chidinma Chinedu Chioma Chukwuemeka Emeka Obinna Ikechukwu Ngozi Nneka Uchenna
Kofi Kwabena Akua Yaw Kwaku Kojo Efua Abena Adwoa Afia Ama Esi Yaa Kwesi
Olamide Tunde Babatunde Femi Olufemi Bola Funmi Folake Yetunde Temitope Oluwaseun
Adebayo Ayodele Bukola Damilola Kehinde Taiwo Segun Tobi Titilayo Toyin Wale Yemi
"""
COMMUNITY_SURNAMES = """
Bankole Adeyemi Adebayo Okafor Okonkwo Okoro Mensah Asante Boateng Owusu Osei Agyeman
Oyelaran Adeyinka Ogunleye Olawale Abiodun Balogun Nwosu Eze Obi Chukwu Warsame Jama
Farah Hussein Abdi Yusuf Omar Ali Egal Hirsi Duale
"""
# Word-list entries that are far more often a person than the word in feedback.
MOSTLY_NAMES = {"john", "peter", "martin", "maria", "marina", "dean", "gill", "lee",
                "florin", "ion", "victor", "kate", "dan", "matt", "jan", "ewa", "adam",
                "khan", "victoria"}


def _values(attribute):
    return attribute.keys() if hasattr(attribute, "keys") else attribute


def faker_names(locales=LOCALES):
    forenames, surnames = set(), set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            forenames.update(_values(getattr(provider, attribute, ())))
        for attribute in ("last_names", "unisex_last_names", "male_last_names"):
            surnames.update(_values(getattr(provider, attribute, ())))
    return forenames, surnames


def polish_feminine(surnames):
    """Faker lists Polish -ski/-cki/-dzki surnames only in their masculine form."""
    return {name[:-1] + "a" for name in surnames if name.endswith(("ski", "cki", "dzki"))}


def everyday_words(path):
    if not path.exists():
        raise SystemExit(f"{path} is missing: apt-get install wbritish wbritish-large wpolish")
    with path.open(encoding="utf-8", errors="replace") as lines:
        return {line.strip() for line in lines if line[:1].islower()}


# Census surnames that the larger word list knows as places, brands or feasts.
NOT_CENSUS_NAMES = """
england france canada madrid toledo monaco aragon kong broadway windsor ferrari philips
packard kellogg heinz dupont gillette macon staten flanders brandenburg christmas friday
irish cornish bromley marx hume pitt hogg turk lear casanova dyson westfield
"""
CENSUS_PROPER_NOUNS = 5000


def wider_names(known):
    """gender-guesser's forenames and the census surnames that no word list knows, and
    the commonest census surnames the larger list knows only as proper nouns."""
    import gender_guesser.detector
    import names as census

    lower, capital = known
    everything = lower | capital  # once: inside the loop it took minutes
    detector = gender_guesser.detector.Detector(case_sensitive=False)
    forenames = {name for name in detector.names if name not in everything}
    path = Path(os.path.dirname(census.__file__)) / "dist.all.last"
    with path.open(encoding="utf-8") as lines:
        ranked = [line.split()[0].lower() for line in lines if line.strip()]
    surnames = {name for rank, name in enumerate(ranked)
                if name not in lower and (name not in capital or rank < CENSUS_PROPER_NOUNS)}
    places = uk_towns() | {word.lower() for word in LONDON_AND_OTHERS.split()}
    places |= set(NOT_CENSUS_NAMES.split())
    return forenames - places, surnames - places


def large_words():
    """The larger English list in lower case: (words written in lower case, words
    written only with a capital)."""
    if not ALL_ENGLISH_WORDS.exists():
        raise SystemExit(f"{ALL_ENGLISH_WORDS} is missing: apt-get install wbritish-large")
    lower, capital = set(), set()
    with ALL_ENGLISH_WORDS.open(encoding="utf-8") as lines:
        for line in lines:
            word = line.strip()
            if word and not word.endswith("'s"):
                (capital if word[0].isupper() else lower).add(word.lower())
    return lower, capital - lower


def _latin(name):
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in name)


def build():
    forenames, surnames = faker_names()
    forenames.update(ARABIC_FORENAMES.split())
    surnames.update(ARABIC_SURNAMES.split())
    surnames.update(POLISH_ROMANIAN_SURNAMES.split())
    forenames.update(COMMUNITY_FORENAMES.split())
    surnames.update(COMMUNITY_SURNAMES.split())
    surnames.update(polish_feminine(surnames))
    english, polish = everyday_words(ENGLISH_WORDS), everyday_words(POLISH_WORDS)
    core = {name.lower() for name in faker_names(CORE_FORENAME_LOCALES)[0]}
    core.update(name.lower() for name in (ARABIC_FORENAMES + COMMUNITY_FORENAMES).split())
    flags = {}
    for names, flag in ((forenames, "f"), (surnames, "s")):
        for name in names:
            key = unicodedata.normalize("NFC", name.strip()).lower()
            if len(key) > 1 and key.replace("-", "").replace("'", "").isalpha() \
                    and _latin(key):
                flags[key] = flags.get(key, "") + flag
    for key in flags:
        word = key in english or (key in polish and key not in core)
        if word and key not in MOSTLY_NAMES:
            flags[key] += "w"
    add_wider(flags, english | polish)
    return flags


def add_wider(flags, everyday):
    """The wider lists' names that no other list holds, flagged r."""
    from feedback.domain.privacy.redaction.wordlists import NOT_NAMES

    forenames, surnames = wider_names(large_words())
    for names, flag in ((forenames, "f"), (surnames, "s")):
        for name in names:
            key = unicodedata.normalize("NFC", name.strip()).lower()
            if len(key) > 2 and key.replace("-", "").replace("'", "").isalpha() \
                    and _latin(key) and key not in NOT_NAMES and key not in everyday:
                if key not in flags:
                    flags[key] = "r"
                if "r" in flags[key]:
                    flags[key] += flag


# London's districts, which no word list has, and charities and shops victims name:
# words that start a sentence before a verb ("Harlesden has been bad for years").
LONDON_AND_OTHERS = """
Thamesmead Leytonstone Leyton Harlesden Willesden Neasden Kensal Stonebridge Edgware
Colindale Finchley Archway Highgate Hornsey Muswell Stamford Shoreditch Hoxton Bethnal
Limehouse Wapping Shadwell Stepney Plaistow Beckton Silvertown Becontree Chadwell
Goodmayes Barkingside Woodford Chingford Wanstead Snaresbrook Erith Belvedere Plumstead
Eltham Kidbrooke Blackheath Brockley Penge Anerley Beckenham Orpington Chislehurst Sidcup
Norbury Selhurst Purley Coulsdon Sanderstead Wallington Carshalton Cheam Tolworth
Surbiton Chessington Twickenham Teddington Isleworth Feltham Harlington Yiewsley
Uxbridge Ruislip Northolt Greenford Perivale Hanwell Alperton Pinner Stanmore Kingsbury
Queensbury Cricklewood Maida Ladbroke Brentford Kew Mortlake Roehampton Southfields
Earlsfield Balham Vauxhall Kennington Walworth Bermondsey Rotherhithe Camberwell Nunhead
Herne Tulse Pimlico Belgravia Knightsbridge Euston Barnsbury Highbury Tufnell Kentish
Hampstead Homerton Clapton Canonbury Dollis Burnt Mottingham Grove Thamesmead Hainault
Barnardos Mencap Nacro NSPCC RSPCA Childline Stonewall Lamplugh Catch22 Papyrus
Screwfix Toolstation Halfords Wetherspoons Nandos Selfridges Poundland Ikea Livescan
"""


def uk_towns():
    """The words of the towns UK phone areas are named after ("Basingstoke", "Milton
    Keynes"): places a comment names far more often than a person."""
    from phonenumbers.geodata import GEOCODE_DATA

    towns = {langs["en"] for prefix, langs in GEOCODE_DATA.items()
             if prefix.startswith("44") and "en" in langs}
    return {word.lower() for town in towns for word in re.findall(r"[^\W\d_]+", town)}


def known_words(names):
    """Every word of the larger English list and of UK towns that is no name,
    possessives aside."""
    if not ALL_ENGLISH_WORDS.exists():
        raise SystemExit(f"{ALL_ENGLISH_WORDS} is missing: apt-get install wbritish-large")
    with ALL_ENGLISH_WORDS.open(encoding="utf-8") as lines:
        words = {line.strip().lower() for line in lines if not line.strip().endswith("'s")}
    words |= uk_towns() | {word.lower() for word in LONDON_AND_OTHERS.split()}
    return sorted(word for word in words - set(names)
                  if len(word) > 1 and word.replace("-", "").replace("'", "").isalpha())


def main():
    flags = build()
    header = ("# Forenames and surnames for free-text redaction. Generated by "
              "scripts/build_name_list.py\n# from Faker (MIT) and a list written for "
              "this service; see that script. Do not edit by hand.\n")
    body = "".join(f"{key}\t{''.join(sorted(set(flags[key])))}\n" for key in sorted(flags))
    OUTPUT.write_text(header + body, encoding="utf-8")
    print(f"{len(flags)} names written to {OUTPUT}")
    words = known_words(flags)
    WORDS_OUTPUT.write_text("# Everyday English words, places and brands that are no name. "
                            "Generated by\n# scripts/build_name_list.py from wbritish-large. "
                            "Do not edit by hand.\n" + "".join(f"{w}\n" for w in words),
                            encoding="utf-8")
    print(f"{len(words)} other words written to {WORDS_OUTPUT}")


if __name__ == "__main__":
    main()
