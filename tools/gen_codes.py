#!/usr/bin/env python3
"""gen_codes.py - compiles the code lists and their labels into C.

    gen_codes.py OUT.c OUT.h [CODES.json LABELS.json]

schema/codes.json is reference data, kept byte-identical to the standards it
comes from (HTCDS 2.0, CTDC, HSDS, ISO 3166); schema/labels.json gives every
code a Tajik, Russian and English label.  The output defines one
`const struct codelist cl_<name>` per list (struct codelist in
schema/fields.h), with codes and labels in the order of codes.json, and
all_codelists[] / all_codelists_count over them.

Which lists there are:
  - every key of codes.json whose value is a list of codes or a map of
    code -> English label, except the keys in NOT_CODE_LISTS and keys that
    start with "_";
  - hotline_call_type, whose value is a map of groups (data, non_data) to
    codes: flattened, groups in file order;
  - the lists in ADDED_LISTS, whose codes are those of labels.json.

It fails (exit 1, a message naming the list and code) when a code lacks a
label in any language, labels.json has a code or list that codes.json does
not, a label is empty or not NFC, or a list is empty or repeats a code.
Python standard library only: python3 is always there, because meson is.
The outputs are written to *.tmp and renamed, so a failed run leaves none.
"""
import json
import os
import re
import sys
import unicodedata

LANGS = ("tg", "ru", "en")

# Keys of codes.json that are reference data but not code lists.
NOT_CODE_LISTS = {
    "ctdc_legacy_columns": "column names of the CTDC export",
    "ctdc_conventions": "conventions of the CTDC export",
    "hsds_core_tables": "table names of HSDS",
}

# Lists that exist only in labels.json, with a check of their codes.
ADDED_LISTS = {
    "countries": re.compile(r"[A-Z]{2}\Z"),  # ISO 3166-1 alpha-2
    "report_terms": re.compile(r"[a-z][a-z_]*\Z"),  # the indicator report's words (api/reports.c)
}

# C names that differ from cl_<key>, kept for existing callers.
C_NAMES = {
    "roles": "role",
}


class GenError(Exception):
    pass


def load_json(path):
    def no_duplicates(pairs):
        obj = {}
        for k, v in pairs:
            if k in obj:
                raise GenError("%s: duplicate key %r" % (path, k))
            obj[k] = v
        return obj

    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f, object_pairs_hook=no_duplicates)
    except (OSError, ValueError) as e:
        raise GenError("%s: %s" % (path, e))


def is_str_list(v):
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def codes_of(name, value):
    """The codes of one codes.json entry, in file order, or None when the
    entry is not a code list."""
    if is_str_list(value):
        return list(value)
    if isinstance(value, dict) and all(isinstance(x, str) for x in value.values()):
        return list(value)
    if isinstance(value, dict) and all(is_str_list(x) for x in value.values()):
        return [c for group in value.values() for c in group]
    raise GenError("codes.json: %s: not a list of codes, a code -> label map or a "
                   "map of groups of codes; add it to NOT_CODE_LISTS if it is no code list" % name)


def code_lists(codes):
    """[(name, [code, ...])] in the order of codes.json."""
    lists = []
    for name, value in codes.items():
        if name.startswith("_") or name in NOT_CODE_LISTS:
            continue
        lists.append((name, codes_of(name, value)))
    return lists


def check_label(where, label):
    if not isinstance(label, dict):
        raise GenError("labels.json: %s: not an object of %s" % (where, ", ".join(LANGS)))
    for lang in LANGS:
        text = label.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise GenError("labels.json: %s: the %s label is missing or empty" % (where, lang))
        if not unicodedata.is_normalized("NFC", text):
            raise GenError("labels.json: %s: %s label is not NFC" % (where, lang))
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise GenError("labels.json: %s: %s label is not valid Unicode" % (where, lang))
    extra = sorted(set(label) - set(LANGS))
    if extra:
        raise GenError("labels.json: %s: unknown language %s" % (where, ", ".join(extra)))


def build(codes, labels):
    """[(name, [(code, {tg, ru, en})])], every check passed."""
    if not isinstance(labels, dict):
        raise GenError("labels.json: not an object")
    lists = code_lists(codes)
    known = {name for name, _ in lists}
    for name in labels:
        if name.startswith("_"):
            continue
        if name not in known and name not in ADDED_LISTS:
            raise GenError("labels.json: list %s is not in codes.json" % name)
        if not isinstance(labels[name], dict):
            raise GenError("labels.json: %s: not an object of code -> label" % name)
    for name, pattern in ADDED_LISTS.items():
        if name in known:
            raise GenError("codes.json now has %s: drop it from ADDED_LISTS" % name)
        if name not in labels:
            raise GenError("labels.json: the list %s is missing" % name)
        for code in labels[name]:
            if not pattern.match(code):
                raise GenError("labels.json: %s: %r is not a valid code" % (name, code))
        lists.append((name, list(labels[name])))

    out = []
    for name, list_codes in lists:
        if not re.match(r"[a-z][a-z0-9_]*\Z", name):
            raise GenError("%s: the list name is no C identifier" % name)
        if not list_codes:
            raise GenError("%s: the list is empty" % name)
        if len(set(list_codes)) != len(list_codes):
            raise GenError("%s: a code appears twice" % name)
        given = labels.get(name)
        if given is None:
            raise GenError("labels.json: the list %s is missing" % name)
        for code in given:
            if code not in list_codes:
                raise GenError("labels.json: %s: code %r is not in codes.json" % (name, code))
        entries = []
        for code in list_codes:
            if not code:
                raise GenError("%s: an empty code" % name)
            if code not in given:
                raise GenError("labels.json: %s: code %r has no labels" % (name, code))
            check_label("%s.%s" % (name, code), given[code])
            entries.append((code, given[code]))
        out.append((name, entries))

    countries = labels.get("countries", {})
    for code in codes.get("main_destination_countries", []):
        if code not in countries:
            raise GenError("labels.json: countries: %s (a main destination) is missing" % code)
    return out


def c_string(text):
    """A C string literal of text: UTF-8 bytes stay as they are; \\ and "
    are escaped, control bytes become octal escapes, and ? is escaped so no
    trigraph can form."""
    buf = bytearray(b'"')
    for b in text.encode("utf-8"):
        if b in b'\\"?':
            buf += b"\\" + bytes([b])
        elif b < 0x20 or b == 0x7F:
            buf += b"\\%03o" % b
        else:
            buf.append(b)
    buf += b'"'
    return buf.decode("utf-8")


def c_name(name):
    return C_NAMES.get(name, name)


def render_c(lists, source_name, header_name):
    w = []
    w.append("/*")
    w.append(" * %s - the code lists with Tajik, Russian and English labels." % source_name)
    w.append(" * Generated by tools/gen_codes.py from schema/codes.json and")
    w.append(" * schema/labels.json: edit those, not this file.")
    w.append(" */")
    w.append("#include \"%s\"" % header_name)
    w.append("")
    for name, entries in lists:
        cn = c_name(name)
        w.append("static const char *const %s_codes[] = {" % cn)
        for code, _ in entries:
            w.append("\t%s," % c_string(code))
        w.append("};")
        w.append("static const struct code_label %s_labels[] = {" % cn)
        for _, label in entries:
            w.append("\t{%s, %s, %s}," % tuple(c_string(label[lang]) for lang in LANGS))
        w.append("};")
        w.append("const struct codelist cl_%s = {" % cn)
        w.append("\t.name = %s, .codes = %s_codes, .n = %d, .labels = %s_labels," %
                 (c_string(name), cn, len(entries), cn))
        w.append("};")
        w.append("")
    w.append("const struct codelist *const all_codelists[] = {")
    for name, _ in lists:
        w.append("\t&cl_%s," % c_name(name))
    w.append("};")
    w.append("const size_t all_codelists_count = %d;" % len(lists))
    return "\n".join(w) + "\n"


def render_h(lists, header_name):
    guard = "HIMOYA_" + re.sub(r"[^A-Z0-9]", "_", header_name.upper())
    w = []
    w.append("/*")
    w.append(" * %s - every code list, as cl_<name> (see struct codelist in" % header_name)
    w.append(" * fields.h).  Generated by tools/gen_codes.py: do not edit.")
    w.append(" */")
    w.append("#ifndef %s" % guard)
    w.append("#define %s" % guard)
    w.append("")
    w.append("#include \"fields.h\"")
    w.append("")
    for name, entries in lists:
        w.append("extern const struct codelist cl_%s; /* \"%s\", %d codes */" %
                 (c_name(name), name, len(entries)))
    w.append("")
    w.append("#endif")
    return "\n".join(w) + "\n"


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def merge_own(codes, own):
    """Add Himoya's own lists (codes-himoya.json) to the standard's."""
    for name, value in own.items():
        if name.startswith("_"):
            continue
        if name in codes:
            raise GenError("codes-himoya.json: %s is also in codes.json" % name)
        if not is_str_list(value):
            raise GenError("codes-himoya.json: %s: not a list of codes" % name)
        codes[name] = value
    return codes


def main(argv):
    if len(argv) not in (3, 6):
        sys.stderr.write("usage: gen_codes.py OUT.c OUT.h [CODES.json OWN.json LABELS.json]\n")
        return 2
    out_c, out_h = argv[1], argv[2]
    schema = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schema")
    codes_path = argv[3] if len(argv) == 6 else os.path.join(schema, "codes.json")
    own_path = argv[4] if len(argv) == 6 else os.path.join(schema, "codes-himoya.json")
    labels_path = argv[5] if len(argv) == 6 else os.path.join(schema, "labels.json")
    try:
        codes = merge_own(load_json(codes_path), load_json(own_path))
        lists = build(codes, load_json(labels_path))
        header = os.path.basename(out_h)
        write_atomic(out_c, render_c(lists, os.path.basename(out_c), header))
        write_atomic(out_h, render_h(lists, header))
    except GenError as e:
        sys.stderr.write("gen_codes: %s\n" % e)
        return 1
    except OSError as e:
        sys.stderr.write("gen_codes: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
