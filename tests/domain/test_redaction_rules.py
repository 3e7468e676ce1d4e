"""One rule at a time, the redaction rules written for comments the rules had never seen
(docs/redaction.md): each case below was left as it was, or wrongly redacted, before
its rule."""

import pytest

from feedback.domain.privacy.anonymise import (
    DEFAULT_CRIME_REFERENCE_PATTERNS,
    compile_patterns,
    redact,
)

PATTERNS = compile_patterns(DEFAULT_CRIME_REFERENCE_PATTERNS)


def _check(text, expected):
    assert redact(text, PATTERNS, 500) == expected


@pytest.mark.parametrize("text, expected", [
    # A name that is also a word, first in its sentence, when what follows says a person.
    ("Grace was the only one who listened.", "[name] was the only one who listened."),
    ("Rose my neighbour rang it in.", "[name] my neighbour rang it in."),
    ("Mark, the PCSO, came round twice.", "[name], the PCSO, came round twice."),
    ("Faith at the front desk was lovely.", "[name] at the front desk was lovely."),
    ("Will was the officer who took my statement.",
     "[name] was the officer who took my statement."),
    ("Bob the PCSO knows everyone.", "[name] the PCSO knows everyone."),
    # ... and only then.
    ("Will they ever ring me back?", "Will they ever ring me back?"),
    ("Grace period ended.", "Grace period ended."),
])
def test_a_name_that_is_also_a_word_starting_a_sentence(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Ask for her by name (Shahnaz) next time.", "Ask for her by name ([name]) next time."),
    ("The officer, a lad called Jack, was on his own. Jack was patient.",
     "The officer, a lad called [name], was on his own. [name] was patient."),
    # "Gwilym" and "Tanvir" are in no list: the name beside them says what they are.
    ("Can't fault Rhys and Gwilym who came out.", "Can't fault [name] and [name] who came out."),
    ("Tanvir & Fatima came round.", "[name] & [name] came round."),
    ("Dafydd from Victim Support rang every week.",
     "[name] from Victim Support rang every week."),
    ("Apart from that it was fine.", "Apart from that it was fine."),
    ("I'm Eilidh and I want an update.", "I'm [name] and I want an update."),
])
def test_names_in_brackets_repeated_paired_or_before_from(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("sergeant amy lewis kept me updated", "sergeant [name] kept me updated"),
    ("PC Holt less so.", "[name] less so."),
])
def test_a_name_after_a_title_in_lower_case_and_where_it_stops(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("He goes by Skeng on the estate.", "He goes by [name] on the estate."),
    ("They call him Big Dave round here.", "They call him [name] round here."),
    ("a boy they call Rizla took it", "a boy they call [name] took it"),
    ("a man calling himself Kingpin rang me", "a man calling himself [name] rang me"),
    ("she called herself Auntie Bisi on the phone",
     "she called herself Auntie [name] on the phone"),
    ("ask for Morwenna at the desk", "ask for [name] at the desk"),
])
def test_nicknames_and_names_asked_for(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("It was my son Kacper's bike.", "It was my son [name]'s bike."),
    ("My purse was taken in Marks and Spencer on Oxford Street.",
     "My purse was taken in Marks and Spencer on Oxford Street."),
    ("We were in the Rose and Crown.", "We were in the Rose and Crown."),
    ("The officer from North Wales Police was quick.",
     "The officer from North Wales Police was quick."),
    ("He called me a dirty Pole.", "He called me a dirty Pole."),
    # An accent the listed name lacks makes a Romanian word ("mașina", a car).
    ("Mașina lui este HN66 PKD.", "Mașina lui este [vehicle registration]."),
])
def test_what_is_not_a_name(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("They broke into Flat 12 Ashby House, Penrose Street while I was out.",
     "They broke into Flat [address] while I was out."),
    ("My nan's house at 9 Heol y Nant was burgled.", "My nan's house at [address] was burgled."),
])
def test_the_street_after_a_building_and_welsh_streets(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("I live in SE15 near the park.", "I live in [postcode] near the park."),
    ("His gym is in SE16 and he trains there.", "His gym is in [postcode] and he trains there."),
    ("Team B2 was great.", "Team B2 was great."),
    ("Stuck on the M25 for an hour.", "Stuck on the M25 for an hour."),
])
def test_the_first_half_of_a_postcode(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Sort code and account are 40 11 62 / 12983477 at the bank.",
     "Sort code and account are [bank details] at the bank."),
    ("I sent it to 20 45 77, 53004219 yesterday.", "I sent it to [bank details] yesterday."),
    # Once read as a Swedish IBAN: the words ran on from "SE15".
    ("He found out where I live, SE15 near the park is all I will say.",
     "He found out where I live, [postcode] near the park is all I will say."),
    ("The first officer gave me a CAD number 6623/21JAN26 today.",
     "The first officer gave me a CAD number [reference] today."),
    ("Reported to Action Fraud and got NFRC260112345678 back.",
     "Reported to Action Fraud and got [reference] back."),
    ("d.o.b. 11-02-2001 on the form", "d.o.b. [date of birth] on the form"),
    ("Passport was stolen in the burglary, number 129847561, and more.",
     "Passport was stolen in the burglary, number [passport number], and more."),
])
def test_bank_details_references_birth_dates_and_passports_written_loosely(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("you can call me on zero seven nine one one two three four five six seven after 6pm",
     "you can call me on [phone number] after 6pm"),
    ("we waited two, three, four, five, six hours in all",
     "we waited two, three, four, five, six hours in all"),
])
def test_a_phone_number_in_words(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("He keeps messaging me from @jaz_x_99 every night.",
     "He keeps messaging me from [username] every night."),
    ("his snapchat is dazzaboi77 and he posts my house",
     "his snapchat is [username] and he posts my house"),
    ("someone calling himself xXshadowwolfXx groomed her",
     "someone calling himself [username] groomed her"),
    ("snap is kay.kay.2009 if you want to see", "snap is [username] if you want to see"),
    ("bullied on discord by ghostrider_0909 all year",
     "bullied on discord by [username] all year"),
])
def test_usernames(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("I work at Kowalczyk's Bakery on the parade.",
     "I work at [workplace or school] on the parade."),
    ("He turned up at the gates of Hollydale Primary.",
     "He turned up at the gates of [workplace or school]."),
    ("works for Dixon & Pryce Roofing, took £3k", "works for [workplace or school], took £3k"),
    ("my daughter's school St Bride's RC Primary called",
     "my daughter's school [workplace or school] called"),
    ("I run a small café, The Blue Kettle, and he comes in.",
     "I run a small café, [workplace or school], and he comes in."),
    ("my son's school Our Lady of Lourdes rang me",
     "my son's school [workplace or school] rang me"),
    ("Bike stolen from outside Northfields Sixth Form today.",
     "Bike stolen from outside [workplace or school] today."),
    ("I clean at Brightwell House Care Home at night.",
     "I clean at [workplace or school] at night."),
    ("He boxes at Eastside ABC every night.", "He boxes at [workplace or school] every night."),
    # Places many people pass through name nobody.
    ("I had to go to the Job Centre on my own.", "I had to go to the Job Centre on my own."),
    ("Hendon Police College trained them badly.", "Hendon Police College trained them badly."),
    ("I work at Tesco and it happened there.", "I work at Tesco and it happened there."),
    ("I live on the Broadwater Farm Estate and the lifts are broken.",
     "I live on the Broadwater Farm Estate and the lifts are broken."),
])
def test_small_named_workplaces_and_schools(text, expected):
    _check(text, expected)


# Round 3 (docs/redaction.md): rules written on batch 6's misses and the general shapes
# behind them, before batch 7 was measured.

@pytest.mark.parametrize("text, expected", [
    # A capitalised word in no list of names or words, before a verb.
    ("Oksana took my call and stayed on the line.",
     "[name] took my call and stayed on the line."),
    ("Tendai was the only one who listened.", "[name] was the only one who listened."),
    ("Then Tendai rang me back the same day.", "Then [name] rang me back the same day."),
    ("I rang and Kwabenya-Ofori answered.", "I rang and [name] answered."),
    ("My neighbour is lovely, Tendai, the PCSO, said so too.",
     "My neighbour is lovely, [name], the PCSO, said so too."),
    ("I'm Oksana Kovalenko and I want an update.", "I'm [name] and I want an update."),
    # ... not a word of the language, a town, a London district, a shop or a charity.
    ("No-one told me about any help.", "No-one told me about any help."),
    ("Basingstoke was the nearest station.", "Basingstoke was the nearest station."),
    ("Harlesden has been bad for years.", "Harlesden has been bad for years."),
    ("Monzo refunded me in the end.", "Monzo refunded me in the end."),
    ("Barnardos helped my son.", "Barnardos helped my son."),
    ("Omg the officer was so kind.", "Omg the officer was so kind."),
    ("Ofcom said to contact the police.", "Ofcom said to contact the police."),
    # In the middle of a sentence, only before a verb for what people do.
    ("The jacket on Zalando was a fake.", "The jacket on Zalando was a fake."),
])
def test_a_capitalised_word_no_list_holds_before_a_verb(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Heather was calm with my son.", "[name] was calm with my son."),
    ("Jade on the front desk sorted it.", "[name] on the front desk sorted it."),
    # A question is no name: "Will the officer", unlike "Bob the PCSO".
    ("Will the officer ring me back?", "Will the officer ring me back?"),
    ("Faith in the police is gone.", "Faith in the police is gone."),
])
def test_a_name_that_is_also_a_word_described_or_placed(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Fat Steve and his lot robbed the sheds.", "[name] and his lot robbed the sheds."),
    ("We all know Mad Dave did it.", "We all know [name] did it."),
    ("Fat chance of that.", "Fat chance of that."),
    ("A man known as 'Polish Pete' took the lead.", "A man known as '[name]' took the lead."),
    ("'Smudge' is what they call him.", "'[name]' is what they call him."),
    ("They call it \"No Further Action\" but it felt like nothing.",
     "They call it \"No Further Action\" but it felt like nothing."),
])
def test_nicknames_before_a_forename_and_in_quotes(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    # A forename typed in lower case after "a" or "the" is a thing.
    ("She gave my daughter a teddy.", "She gave my daughter a teddy."),
    ("dave was great", "[name] was great"),
    # A word of the language in brackets is a brand or a thing, not a name.
    ("Paid by card (Visa) and he took the rest.", "Paid by card (Visa) and he took the rest."),
    ("Ask for her by name (Oksana) next time.", "Ask for her by name ([name]) next time."),
    # Police force areas and brands are no names.
    ("My postcode sends me to Avon and Somerset.", "My postcode sends me to Avon and Somerset."),
    ("Devon and Cornwall were slow.", "Devon and Cornwall were slow."),
])
def test_what_is_not_a_name_round_3(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("I'm a receptionist at Pembury Family Dental in town.",
     "I'm a receptionist at [workplace or school] in town."),
    ("Our restaurant (Spice Garden Tandoori) was hit again.",
     "Our restaurant ([workplace or school]) was hit again."),
    ("He follows me to Rosewood Montessori every day.",
     "He follows me to [workplace or school] every day."),
    ("He waits outside Greenleaf where I work.",
     "He waits outside [workplace or school] where I work."),
    ("It was Kingfisher Roofing & Guttering who did it.",
     "It was [workplace or school] who did it."),
    ("Kings College Hospital staff were kind.", "Kings College Hospital staff were kind."),
])
def test_workplaces_ending_in_a_trade_word_or_before_where_i_work(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Account 00812475, sort 60-16-13, please stop asking.",
     "Account [bank details], sort [bank details], please stop asking."),
    # "sort" as a word of its own: not the end of "resort".
    ("The resort 20-20-20 deal was a scam.", "The resort 20-20-20 deal was a scam."),
])
def test_a_sort_code_after_sort_alone(text, expected):
    _check(text, expected)


# Round 4 (docs/redaction.md): each case below was left as it was, or wrongly redacted,
# by round 3's rules, or is the guard that keeps a new rule from taking an ordinary word.

@pytest.mark.parametrize("text, expected", [
    # Names only the wider lists hold (gender-guesser's forenames, census surnames).
    ("I spoke to Mykola Petrenko yesterday and he was kind.",
     "I spoke to [name] yesterday and he was kind."),
    ("Nobody rang Sipho back.", "Nobody rang [name] back."),
    # ... never in lower case, nor in a place's or a thing's name.
    ("text me if theres any news", "text me if theres any news"),
    ("I live on the Broadwater Farm Estate.", "I live on the Broadwater Farm Estate."),
    ("It fails the Luhn check.", "It fails the Luhn check."),
])
def test_names_from_the_wider_lists(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Tendai Chikwanha is my husband and he was never asked.",
     "[name] is my husband and he was never asked."),
    ("Zuberi Mwakilema is my name and I want an update.",
     "[name] is my name and I want an update."),
    ("Zorigt and Batbayar were the officers and they were brilliant.",
     "[name] and [name] were the officers and they were brilliant."),
    ("Ayokunle and her colleague were kind to my son.",
     "[name] and her colleague were kind to my son."),
    ("Ngozika Ebube (my mum) rang 101 twice.", "[name] (my mum) rang 101 twice."),
    ("Big Tyzo and Kez are the ones selling.", "[name] and [name] are the ones selling."),
    ("Chidubem, Sarah and another officer came out.",
     "[name], [name] and another officer came out."),
    # A forename that is also a word, before "and me".
    ("Will and me went to the station.", "[name] and me went to the station."),
    ("Amber the call handler was patient.", "[name] the call handler was patient."),
])
def test_names_in_no_list_shown_by_what_follows(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Please tell Chidubem thank you from us.", "Please tell [name] thank you from us."),
    ("The man who hit me, Tumelo, works nights.", "The man who hit me, [name], works nights."),
    # Not after a word that says a place or a thing, nor before a place word.
    ("I volunteer near Heronsgate on Mondays.", "I volunteer near Heronsgate on Mondays."),
    ("My Hikvision camera caught it all.", "My Hikvision camera caught it all."),
    ("A white Berlingo followed me home.", "A white Berlingo followed me home."),
    ("My laptop is a Lenovo and my phone was taken.",
     "My laptop is a Lenovo and my phone was taken."),
    ("They called me Paki in the street.", "They called me Paki in the street."),
    ("The interpreter spoke Farsi, not Dari.", "The interpreter spoke Farsi, not Dari."),
    ("My policy is with Aviva.", "My policy is with Aviva."),
])
def test_a_word_in_no_list_capitalised_mid_sentence(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    # Titles of faith are titles: the name goes, the title counts as neither.
    ("Pastor Emmanuel came with me to court.", "[name] came with me to court."),
    ("imam Yusuf translated for us", "imam [name] translated for us"),
])
def test_titles_of_faith(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("a lad called jaz took my phone", "a lad called [name] took my phone"),
    ("Mr and Mrs Okonjo next door saw it.", "[name] next door saw it."),
    # ... not a word of the language after "called", nor a word after a relation in
    # another language ("Mój brat Piotr był pobity" keeps "był").
    ("a man called round yesterday", "a man called round yesterday"),
    ("someone called me names", "someone called me names"),
    ("Mój brat Piotr był pobity.", "Mój brat [name] był pobity."),
])
def test_a_name_in_lower_case_after_called_and_two_titles(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Passport no. 547120983 was taken.", "Passport no. [passport number] was taken."),
    ("They gave me incident 4410 of 12 March and then nothing.",
     "They gave me incident [reference] and then nothing."),
    ("Log 231 of 03/10 is the one.", "Log [reference] is the one."),
    ("I waited 3 hours of 4 days.", "I waited 3 hours of 4 days."),
])
def test_a_passport_after_no_and_an_incident_by_its_day(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("we live in the M14 area now", "we live in the [postcode] area now"),
    ("the M25 was closed", "the M25 was closed"),
    ("reg was something like KP19 and that's all", "reg was something like "
     "[vehicle registration] and that's all"),
    ("a grey Golf, reg ending 4 XLT.", "a grey Golf, reg ending [vehicle registration]."),
    ("the reg was 2 days old", "the reg was 2 days old"),
    ("Burglary at 7 The Maltings last week.", "Burglary at [address] last week."),
    ("Write to 3 Oak Court, Flat 12, please.", "Write to [address], please."),
    ("I help at Eastgate Community Pantry.", "I help at [workplace or school]."),
])
def test_postcode_areas_part_plates_streets_with_the_and_flats_after(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("he messaged her as dArKkNiGhT on the game", "he messaged her as [username] on the game"),
    ("My tiktok is jessbakes2 and my snapchat is lilyrosebeauty.",
     "My tiktok is [username] and my snapchat is [username]."),
    ("My instagram is private now.", "My instagram is private now."),
    ("I got a new iPhone and an eBay account.", "I got a new iPhone and an eBay account."),
])
def test_usernames_with_two_capitals_inside_or_after_my_instagram_is(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("me and jaz were walking home", "me and [name] were walking home"),
    ("my bf kwabz hit me again", "my bf [name] hit me again"),
    ("Fatou's statement was never taken.", "[name]'s statement was never taken."),
    # Words of texting, and what a relation owns, are no names.
    ("my son tryna help but he couldnt", "my son tryna help but he couldnt"),
    ("my husband shouldve been asked", "my husband shouldve been asked"),
    ("My son's gamertag is the problem.", "My son's gamertag is the problem."),
])
def test_names_in_lower_case_beside_me_and_after_my_bf(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("The car had plates KY 64 FTR.", "The car had plates [vehicle registration]."),
    ("I saw it at 12 and PO 55 men", "I saw it at 12 and PO 55 men"),
    ("we waited in 20 min and on 21 may", "we waited in 20 min and on 21 may"),
])
def test_a_plate_with_a_space_after_its_letters(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Jojo and Bash are the ones selling.", "[name] and [name] are the ones selling."),
    ("Tesco and Asda are both near me.", "Tesco and Asda are both near me."),
    ("Shein order was fake.", "Shein order was fake."),
])
def test_the_other_half_after_a_word_in_no_list(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("Summer the liaison officer kept in touch.", "[name] the liaison officer kept in touch."),
    ("Holly the family liaison officer was great.",
     "[name] the family liaison officer was great."),
    ("Jade the support worker helped.", "[name] the support worker helped."),
    # A wish or a question, not a name.
    ("Hope the investigating officer reads this.", "Hope the investigating officer reads this."),
    ("Hope the officer gets this.", "Hope the officer gets this."),
    ("Will the case officer call me?", "Will the case officer call me?"),
])
def test_a_word_name_before_a_role_of_two_or_three_words(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("text, expected", [
    ("thanks kemi for everything", "thanks [name] for everything"),
    ("Mulțumesc frumos pentru tot.", "Mulțumesc frumos pentru tot."),
    ("thanks sooo much", "thanks sooo much"),
    ("thanks alot", "thanks alot"),
    ("Rose didn't listen at all.", "[name] didn't listen at all."),
    ("Sunny never showed up.", "[name] never showed up."),
    ("Hope never dies.", "Hope never dies."),
    ("Will never forget it.", "Will never forget it."),
])
def test_thanks_in_lower_case_and_a_word_name_that_never_did(text, expected):
    _check(text, expected)
