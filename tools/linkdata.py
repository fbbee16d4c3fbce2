#!/usr/bin/env python3
"""linkdata.py - test lists for `himoya link` and `himoya pprl`, in the
layout of the FEBRL benchmark files, and the score of a linkage run.

    linkdata.py gen --style english|tajik --n N [--seed S] --a A.csv --b B.csv
    linkdata.py gen --style ... --n N --dedup D.csv       (originals and duplicates in one)
    linkdata.py score pairs.csv [--dedup]                  -> precision recall F1

Records are rec-<entity>-org in A and rec-<entity>-dup-0 in B (FEBRL
dataset4a/4b style): the number identifies the true person, so a pair is a
true match when both ids carry the same number.

Every duplicate is its original corrupted as FEBRL does: one to three
fields are changed, each once or twice, by a keyboard typo (insert, delete,
substitute, transpose), an OCR error (m/rn, l/1, o/0, ...), a phonetic
spelling (ph/f, ck/k, ...), a missing value, words run together or split,
given name and surname swapped; dates get a day/month swap, a wrong digit
or a year off by one.  Tajik persons are written in Tajik Cyrillic in A
and, in B, mostly in Russian Cyrillic or one of the Latin transliterations
(Ҷумъаев / Джумаев / Dzhumaev / Jumaev), with dates day-first now and
then, phones in another format and sex coded otherwise: differences of
writing, not errors, on top of the corruptions.

Python 3 standard library only.
"""
import argparse
import random
import sys

# ---- English (FEBRL-like: Australian addresses) ---------------------------

EN_GIVEN = """james john robert michael william david richard joseph thomas charles christopher
daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy
ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott
brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron
jose adam nathan henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger
terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce
gabriel logan albert willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby
mason philip louis mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa
nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa
deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela
emma nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather
diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan
andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice jean
abigail alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana
natalie brittany charlotte marie kayla alexis lori michaela chloe jade tahlia zoe lachlan riley
harrison blake liam cooper jayden bailey mitchell hayden jarrod brodie kirra tegan ebony jasmine
""".split()

EN_SURNAME = """smith jones williams brown wilson taylor johnson white martin anderson thompson
nguyen thomas walker harris lee ryan robinson kelly king davis wright evans roberts green hall wood
jackson clarke patel khan lewis james phillips mason mitchell rose davies rodriguez cox alexander
garden campbell johnston moore smyth neill doherty stewart quinn murphy graham mclaughlin hamilton
murray hughes robertson thomson scott macdonald reid clark ross young watson paterson morrison
morgan griffiths edwards baker turner hill harrison cooper ward price bennett hughes parker allen
bailey carter collins cook hunt palmer russell dixon barnes shaw lloyd fisher ellis webb butler
bell knight mills wallace gibson kennedy fraser henderson grant marshall burns duncan jenkins
lynch oconnor sullivan walsh mccarthy byrne brennan fitzgerald kavanagh neumann schmidt weber
becker hoffmann koch richter klein wolf schroder zimmermann braun kruger hartmann lange werner
krause lehmann kohler herrmann walter konig mayer huber kaiser fuchs peters lang scholz moller
weiss jung hahn keller vogel friedrich gunther frank berger winkler roth beck lorenz baumann
franke albrecht ludwig winter simon kraus bohm vogt stein jager otto sommer gross seidel heinrich
brandt haas schreiber graf dietrich ziegler kuhn pohl engel horn busch bergmann thomas voigt
sauer arnold wolff pfeiffer rossi russo ferrari esposito bianchi romano colombo ricci marino greco
bruno gallo conti deluca mancini costa giordano rizzo lombardi moretti papadopoulos georgiou
dimitriou nikolaidis christodoulou tran pham hoang huynh phan dang bui ngo duong ly wang zhang
liu chen yang huang zhao zhou wu xu sun zhu ma hu guo lin he gao luo zheng liang xie song tang
""".split()

EN_STREET = """stanley wallaby pridham macquarie hicks hindmarsh kingsford lachlan darling
murray flinders collins swanston elizabeth bourke spencer william queen king george pitt castle
bathurst oxford victoria albert church park high station railway bridge mill hill grove river
forest banksia wattle acacia jacaranda grevillea waratah boronia callistemon eucalyptus kurrajong
melaleuca casuarina coolabah brigalow mulga spinifex kookaburra lorikeet rosella galah cockatoo
currawong magpie wombat koala platypus echidna numbat bilby quokka possum dingo emu brolga jabiru
""".split()
EN_STREET_KIND = "street road avenue place crescent drive court close parade circuit way lane".split()
EN_ADDR2 = """delmar rosetta kooringa yarrawonga kalinda wirraway brentwood glenview eastcote
millbrook the grange villa rose greenhaven ashleigh palm grove sunset lodge riverview lakeside
""".split()
EN_SUBURB = """cleveland marsden milton miami winston hills carlingford epping ryde hornsby
chatswood mosman bondi randwick coogee maroubra parramatta penrith blacktown liverpool campbelltown
toowong indooroopilly kenmore chermside nundah sandgate wynnum redcliffe caboolture ipswich
logan beenleigh southport burleigh heads coolangatta nerang robina toowoomba warwick dalby
kingaroy gympie maryborough bundaberg gladstone rockhampton mackay townsville cairns glenelg
brighton unley norwood prospect salisbury elizabeth gawler mount barker victor harbor hahndorf
fremantle subiaco claremont cottesloe scarborough joondalup midland armadale rockingham mandurah
bunbury busselton albany geraldton kalgoorlie hobart sandy bay glenorchy kingston launceston
devonport burnie ulverstone queanbeyan belconnen tuggeranong woden gungahlin dickson braddon
""".split()
EN_STATES = [("nsw", 2000), ("vic", 3000), ("qld", 4000), ("sa", 5000), ("wa", 6000),
             ("tas", 7000), ("act", 2600), ("nt", 800)]

# ---- Tajik --------------------------------------------------------------------

TJ_GIVEN_M = """Фаррух Ҷамшед Алишер Рустам Фирдавс Баҳодур Далер Шаҳром Меҳрубон Исмоил
Сафарали Умед Зафар Комрон Парвиз Исфандиёр Ҳасан Ҳусейн Абдуллоҳ Мирзо Некрӯз Ситорабек
Бехруз Ҷавоҳир Манучеҳр Сӯҳроб Фаридун Дилшод Тоҳир Қосим Ғайрат Шуҳрат Эраҷ Хуршед Анвар
Раҳим Азиз Карим Наврӯз Сиёвуш Ҷумъа Нозим Шоҳин Фаридуддин Мунир Ҳабиб Обид Саид Юсуф""".split()
TJ_GIVEN_F = """Мадина Нилуфар Гулнора Зарина Малика Мавҷуда Шаҳноза Фарангис Тахмина Дилноза
Нигина Сарвиноз Меҳрангез Гулчеҳра Зебо Ситора Парвина Мунира Саодат Ҳилола Фотима Зайнаб
Шабнам Наргис Рухшона Гулбаҳор Санавбар Дилафрӯз Моҳира Ҷамила Нодира Фируза Хадича Озода
Сурайё Лайло Гулнисо Бунафша Робия Ҳамида""".split()
TJ_FAMILY_STEMS = """Ҷумъа Раҳим Саид Абдулло Қодир Назар Шариф Каримов Мирзо Ҳасан Ҳусейн
Раҷаб Сафар Ғафур Давлат Ашур Бобо Ёқуб Юсуф Исмоил Аҳмад Маҳмуд Наим Одина Ризо Султон Тоҳир
Умар Файз Ҳамид Ҷалол Камол Латиф Мансур Нурулло Обид Пиру Раҳмат Сатор Турсун Файзулло Хол
Шамсиддин Эшон Ятим Зоир Бек Давлатшо Неъмат Ғулом Ҳайдар Қурбон Мурод Норов Сангин Толиб""".split()
TJ_REGIONS = {
    "Хатлон": ["Бохтар", "Кӯлоб", "Восеъ", "Данғара", "Панҷ", "Ҷайҳун", "Шаҳритус", "Вахш"],
    "Суғд": ["Хуҷанд", "Истаравшан", "Панҷакент", "Исфара", "Конибодом", "Ғафуров", "Спитамен"],
    "НТМ": ["Ҳисор", "Турсунзода", "Вахдат", "Рашт", "Файзобод", "Рӯдакӣ", "Шаҳринав"],
    "ВМКБ": ["Хоруғ", "Ишкошим", "Рӯшон", "Шуғнон", "Ванҷ", "Мурғоб"],
    "Душанбе": ["Сино", "Фирдавсӣ", "Шоҳмансур", "Исмоили Сомонӣ"],
}
TJ_STREETS = """Рӯдакӣ Сомонӣ Айнӣ Турсунзода Бохтар Ҳофизи Шерозӣ Фирдавсӣ Лоҳутӣ Борбад Деҳотӣ
Шоҳтемур Мирзо Турсунзода Ҷабборӣ Носири Хусрав Саъдии Шерозӣ""".split()

TJ_TO_RU = {"ҳ": "х", "қ": "к", "ҷ": "дж", "ӣ": "и", "ӯ": "у", "ғ": "г",
            "Ҳ": "Х", "Қ": "К", "Ҷ": "Дж", "Ӣ": "И", "Ӯ": "У", "Ғ": "Г"}
LAT = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
       "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
       "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
       "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
       "ҳ": "h", "қ": "q", "ҷ": "j", "ӣ": "i", "ӯ": "u", "ғ": "gh"}
LAT_SCHEMES = [  # Russian-passport style, Tajik style, English style
    {"ҷ": "dzh", "х": "kh", "ҳ": "kh", "қ": "k", "ӯ": "u", "ғ": "g", "ё": "yo"},
    {"ҷ": "j", "х": "kh", "ҳ": "h", "қ": "q", "ӯ": "u", "ғ": "gh", "ё": "yo"},
    {"ҷ": "dj", "х": "h", "ҳ": "h", "қ": "k", "ӯ": "ou", "ғ": "gh", "ё": "io"},
]


def to_russian(s):
    return "".join(TJ_TO_RU.get(c, c) for c in s)


def to_latin(s, scheme):
    out = []
    for c in s:
        low = c.lower()
        t = scheme.get(low, LAT.get(low, c))
        out.append(t.capitalize() if c != low and t else t)
    return "".join(out)

# ---- corruption -------------------------------------------------------------

KEYBOARD = {c: n for c, n in zip("qwertyuiopasdfghjklzxcvbnm", """wa qes wrd etf ryg tuh yij uok ipl
ol qwsz wedxza erfcxs rtgvcd tyhbvf yujnbg uikmnh iolmj opk asx zsdc xdfv cfgb vghn bhjm njk""".split())}
OCR = [("m", "rn"), ("rn", "m"), ("l", "1"), ("1", "l"), ("o", "0"), ("0", "o"), ("s", "5"),
       ("5", "s"), ("b", "6"), ("g", "9"), ("cl", "d"), ("d", "cl"), ("i", "l"), ("u", "v"),
       ("vv", "w"), ("e", "c"), ("h", "b"), ("8", "3"), ("7", "1")]
PHONETIC = [("ph", "f"), ("f", "ph"), ("ck", "k"), ("c", "k"), ("k", "c"), ("ee", "ea"),
            ("ea", "ee"), ("ie", "y"), ("y", "ie"), ("ou", "ow"), ("th", "t"), ("sh", "sch"),
            ("ll", "l"), ("nn", "n"), ("mm", "m"), ("ss", "s"), ("tt", "t"), ("gh", "g"),
            ("ai", "ay"), ("ey", "ay"), ("z", "s"), ("s", "z"), ("w", "v"), ("v", "w"),
            ("kh", "h"), ("dzh", "j"), ("j", "dzh"), ("ов", "оф"), ("ев", "иев")]


def typo(rng, s):
    if not s:
        return s
    i = rng.randrange(len(s))
    kind = rng.random()
    if kind < 0.25 and len(s) > 1:
        return s[:i] + s[i + 1:]
    if kind < 0.5:
        c = s[i].lower()
        return s[:i] + rng.choice(KEYBOARD.get(c, s)) + s[i:]
    if kind < 0.75:
        c = s[i].lower()
        return s[:i] + rng.choice(KEYBOARD.get(c, s)) + s[i + 1:]
    if len(s) > 1:
        i = min(i, len(s) - 2)
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s


def replace_one(rng, s, table):
    hits = [(a, b) for a, b in table if a in s]
    if not hits:
        return typo(rng, s)
    a, b = rng.choice(hits)
    starts = [i for i in range(len(s)) if s.startswith(a, i)]
    i = rng.choice(starts)
    return s[:i] + b + s[i + len(a):]


def corrupt_text(rng, s):
    r = rng.random()
    if r < 0.55:
        return typo(rng, s)
    if r < 0.7:
        return replace_one(rng, s, OCR)
    if r < 0.85:
        return replace_one(rng, s, PHONETIC)
    if r < 0.93 and " " in s:
        return s.replace(" ", "", 1)
    if r < 0.96 and len(s) > 4:
        i = rng.randrange(2, len(s) - 1)
        return s[:i] + " " + s[i:]
    return ""


def corrupt_date(rng, d):
    if not d:
        return d
    y, m, dd = d[:4], d[4:6], d[6:8]
    r = rng.random()
    if r < 0.3 and int(dd) <= 12 and dd != m:
        return y + dd + m
    if r < 0.55:
        return "%04d" % (int(y) + rng.choice((-1, 1))) + m + dd
    if r < 0.9:
        i = rng.randrange(8)
        return d[:i] + str((int(d[i]) + rng.randrange(1, 10)) % 10) + d[i + 1:]
    if r < 0.95:
        return ""
    i = rng.randrange(7)
    return d[:i] + d[i + 1] + d[i] + d[i + 2:]


def corrupt_digits(rng, s):
    if not s:
        return s
    r = rng.random()
    if r < 0.1:
        return ""
    if r < 0.55:
        i = rng.randrange(len(s))
        if not s[i].isdigit():
            return s
        return s[:i] + str((int(s[i]) + rng.randrange(1, 10)) % 10) + s[i + 1:]
    if r < 0.8 and len(s) > 1:
        i = rng.randrange(len(s) - 1)
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return replace_one(rng, s, OCR)

# ---- persons -----------------------------------------------------------------


def zipf_choice(rng, items, s=0.8):
    """Frequencies like names: a few common, a long tail."""
    n = len(items)
    i = int(n * rng.random() ** (1 + s))
    return items[min(i, n - 1)]


def english_person(rng):
    state, base = rng.choice(EN_STATES)
    sub = rng.randrange(len(EN_SUBURB))
    return {
        "given_name": zipf_choice(rng, EN_GIVEN),
        "surname": zipf_choice(rng, EN_SURNAME),
        "street_number": str(rng.choice([rng.randrange(1, 40), rng.randrange(1, 400)])),
        "address_1": "%s %s" % (rng.choice(EN_STREET), rng.choice(EN_STREET_KIND)),
        "address_2": rng.choice(EN_ADDR2) if rng.random() < 0.4 else "",
        "suburb": EN_SUBURB[sub],
        "postcode": "%04d" % (base + (sub * 37) % 900 + rng.randrange(0, 3)),
        "state": state,
        "date_of_birth": "%04d%02d%02d" % (rng.randrange(1905, 2005), rng.randrange(1, 13),
                                          rng.randrange(1, 29)),
        "soc_sec_id": str(rng.randrange(1000000, 9999999)),
    }


def tajik_person(rng):
    female = rng.random() < 0.5
    stem = zipf_choice(rng, TJ_FAMILY_STEMS, 0.5)
    if stem.endswith("ов"):
        stem = stem[:-2]
    ending = rng.choice(["ов", "ов", "зода", "ев"] if stem[-1] not in "аоуиӣӯ" else
                        ["ев", "ев", "зода"])
    family = stem + ending + ("а" if female and ending in ("ов", "ев") else "")
    father = rng.choice(TJ_GIVEN_M)
    patronymic = (father[:-1] if father.endswith("ӣ") else father) + ("овна" if female else "ович")
    region = rng.choice(list(TJ_REGIONS))
    y = rng.randrange(1960, 2008)
    return {
        "given_name": rng.choice(TJ_GIVEN_F if female else TJ_GIVEN_M),
        "surname": family,
        "patronymic": patronymic,
        "sex": "Ж" if female else "М",
        "date_of_birth": "%04d%02d%02d" % (y, rng.randrange(1, 13), rng.randrange(1, 29)),
        "phone": "+992 %s %03d %02d %02d" % (rng.choice(["93", "92", "90", "88", "98", "50"]),
                                            rng.randrange(1000), rng.randrange(100),
                                            rng.randrange(100)) if rng.random() < 0.8 else "",
        "soc_sec_id": ("A%08d" % rng.randrange(10 ** 8)) if rng.random() < 0.6 else "",
        "state": region,
        "suburb": rng.choice(TJ_REGIONS[region]),
        "address_1": "кӯчаи %s" % rng.choice(TJ_STREETS),
        "street_number": str(rng.randrange(1, 150)),
    }


EN_COLUMNS = ["rec_id", "given_name", "surname", "street_number", "address_1", "address_2",
              "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]
TJ_COLUMNS = ["rec_id", "given_name", "surname", "patronymic", "sex", "date_of_birth", "phone",
              "soc_sec_id", "state", "suburb", "address_1", "street_number"]
TEXT_FIELDS = {"given_name", "surname", "patronymic", "address_1", "address_2", "suburb"}


def rewrite_script(rng, p):
    """The same person written by another agency: in another script."""
    q = dict(p)
    r = rng.random()
    names = ("given_name", "surname", "patronymic", "suburb", "state", "address_1")
    if r < 0.4:
        for k in names:
            q[k] = to_russian(q[k])
    elif r < 0.8:
        scheme = rng.choice(LAT_SCHEMES)
        for k in names:
            q[k] = to_latin(q[k], scheme)
    return q


def rewrite_formats(rng, p):
    """... and with its own formats: date, phone, sex."""
    q = dict(p)
    if q["date_of_birth"] and rng.random() < 0.4:  # day-first, as on a Tajik form
        d = q["date_of_birth"]
        q["date_of_birth"] = "%s.%s.%s" % (d[6:8], d[4:6], d[:4])
    if q["phone"] and rng.random() < 0.5:
        digits = "".join(c for c in q["phone"] if c.isdigit())
        q["phone"] = rng.choice([digits[3:], "0" + digits[3:], digits])
    if q["sex"] and rng.random() < 0.5:
        q["sex"] = {"Ж": rng.choice(["f", "female", "зан"]),
                    "М": rng.choice(["m", "male", "мард"])}[q["sex"]]
    return q


def corrupt(rng, p, columns):
    q = dict(p)
    fields = [c for c in columns if c != "rec_id" and q.get(c)]
    nfields = rng.choices([1, 2, 3], [0.45, 0.4, 0.15])[0]
    for f in rng.sample(fields, min(nfields, len(fields))):
        for _ in range(rng.choice([1, 1, 2])):
            if f == "date_of_birth":
                q[f] = corrupt_date(rng, q[f])
            elif f in ("soc_sec_id", "phone", "street_number", "postcode"):
                q[f] = corrupt_digits(rng, q[f])
            elif f in ("sex", "state"):
                q[f] = "" if rng.random() < 0.5 else q[f]
            elif f == "given_name" and rng.random() < 0.12:
                q["given_name"], q["surname"] = q["surname"], q["given_name"]
            else:
                q[f] = corrupt_text(rng, q[f])
    return q


def write(path, columns, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(", ".join(columns) + "\n")
        for r in rows:
            cells = []
            for c in columns:
                v = r.get(c, "")
                if "," in v or '"' in v:
                    v = '"' + v.replace('"', '""') + '"'
                cells.append(v)
            f.write(", ".join(cells) + "\n")


def generate(args):
    rng = random.Random(args.seed)
    columns = EN_COLUMNS if args.style == "english" else TJ_COLUMNS
    make = english_person if args.style == "english" else tajik_person
    originals, duplicates = [], []
    for e in range(args.n):
        p = make(rng)
        p["rec_id"] = "rec-%d-org" % e
        q = rewrite_script(rng, p) if args.style == "tajik" else dict(p)
        q = corrupt(rng, q, columns)
        if args.style == "tajik":
            q = rewrite_formats(rng, q)
        q["rec_id"] = "rec-%d-dup-0" % e
        originals.append(p)
        duplicates.append(q)
    if args.dedup:
        # Half the originals with their duplicates, the rest alone, shuffled.
        rows = originals + duplicates[: args.n // 2]
        rng.shuffle(rows)
        write(args.dedup, columns, rows)
    else:
        rng.shuffle(duplicates)
        write(args.a, columns, originals)
        write(args.b, columns, duplicates)


def entity(rec_id):
    parts = rec_id.strip().lstrip("'").split("-")
    return parts[1] if len(parts) >= 3 and parts[0] == "rec" else None


def score(args):
    """Precision, recall and F1 of pairs.csv against the ids' entities."""
    found, true_pos = 0, 0
    with open(args.pairs, encoding="utf-8") as f:
        header = f.readline().strip()
        if header != "left_id,right_id,score":
            sys.exit("score: bad header %r" % header)
        for line in f:
            left, right, _ = line.strip().split(",")
            found += 1
            if entity(left) is not None and entity(left) == entity(right):
                true_pos += 1
    total = args.truth
    precision = true_pos / found if found else 0.0
    recall = true_pos / total if total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print("pairs %d true %d of %d precision %.4f recall %.4f F1 %.4f" %
          (found, true_pos, total, precision, recall, f1))
    if args.min_f1 is not None and f1 < args.min_f1:
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--style", choices=["english", "tajik"], required=True)
    g.add_argument("--n", type=int, required=True)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--a")
    g.add_argument("--b")
    g.add_argument("--dedup")
    s = sub.add_parser("score")
    s.add_argument("pairs")
    s.add_argument("--truth", type=int, required=True, help="number of true pairs")
    s.add_argument("--min-f1", type=float)
    args = ap.parse_args()
    if args.cmd == "gen":
        if not args.dedup and not (args.a and args.b):
            ap.error("gen needs --a and --b, or --dedup")
        generate(args)
    else:
        score(args)


if __name__ == "__main__":
    main()
