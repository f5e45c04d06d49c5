# ruff: noqa: E501  (probe snippets are data: one line each reads best)
"""The v1 API probes: every name of HTCondor's original ``classad`` module, exercised.

Each probe is ``(name, code)`` (see ``v1_harness``); names are ``family/detail`` so a report can
count by family.  To extend coverage, add to a family below or add a family to ``FAMILIES``.
"""

from __future__ import annotations

from collections.abc import Callable

from v1_harness import Probe

V1_NAMES = [
    "Attribute", "ClassAd", "ClassAdEnumError", "ClassAdEvaluationError", "ClassAdException",
    "ClassAdFileIterator", "ClassAdInternalError", "ClassAdOSError", "ClassAdParseError",
    "ClassAdStringIterator", "ClassAdTypeError", "ClassAdValueError", "ExprTree", "Function", "Literal",
    "OldClassAdIterator", "Parser", "Value", "lastError", "parse", "parseAds", "parseNext", "parseOld",
    "parseOldAds", "parseOne", "quote", "register", "registerLibrary", "unquote", "version",
]  # fmt: skip

EXCEPTIONS = [n for n in V1_NAMES if n.startswith("ClassAd") and n.endswith(("Error", "Exception"))]
BUILTIN_BASES = [
    "ValueError",
    "TypeError",
    "SyntaxError",
    "RuntimeError",
    "OSError",
    "KeyError",
    "LookupError",
]

AD = (
    '[a = 1; b = a + 1; s = "str"; r = 2.5; l = {1, "x", a}; n = [c = 3]; u = undefined; e = error; t = true]'
)


def module() -> list[Probe]:
    out: list[Probe] = [(f"module/has/{n}", f"hasattr(classad, {n!r})") for n in V1_NAMES]
    out.append(("module/dir", "sorted(n for n in dir(classad) if not n.startswith('_') and n != 'classad')"))
    out += [
        ("module/version_type", "type(classad.version()).__name__"),
        ("module/lastError_type", "type(classad.lastError()).__name__"),
        ("module/registerLibrary_missing", "classad.registerLibrary('/nonexistent/lib.so')"),
    ]
    for i, s in enumerate(["hello", 'a"b', "back\\slash", "tab\tnl\n", "", "é", "x'y", "\x01"]):
        out.append((f"module/quote/{i}", f"classad.quote({s!r})"))
        out.append((f"module/quote_roundtrip/{i}", f"classad.unquote(classad.quote({s!r}))"))
    out += [
        ("module/quote_kw", "classad.quote(input='a')"),
        ("module/unquote_kw", "classad.unquote(input='\"a\"')"),
        ("module/quote_int", "classad.quote(1)"),
        ("module/unquote_int", "classad.unquote(1)"),
        ("module/unquote_notstring", "classad.unquote('1')"),
        ("module/unquote_junk", "classad.unquote('\"a')"),
        ("module/unquote_expr", "classad.unquote('x + 1')"),
        ("module/unquote_concat", 'classad.unquote(\'"a" "b"\')'),
    ]
    return out


def exceptions() -> list[Probe]:
    out: list[Probe] = []
    for e in EXCEPTIONS:
        for b in BUILTIN_BASES:
            out.append((f"exc/{e}/is_{b}", f"issubclass(classad.{e}, {b})"))
        out.append((f"exc/{e}/is_ClassAdException", f"issubclass(classad.{e}, classad.ClassAdException)"))
        out.append(
            (
                f"exc/{e}/raise_catch",
                f"result = 0\ntry:\n    raise classad.{e}('m')\nexcept classad.{e} as x:\n    result = str(x)",
            )
        )
    return out


def values() -> list[Probe]:
    out: list[Probe] = []
    for v in ("Undefined", "Error"):
        V = f"classad.Value.{v}"  # noqa: N806
        out += [
            (f"value/{v}/str", f"str({V})"),
            (f"value/{v}/repr", f"repr({V})"),
            (f"value/{v}/bool", f"bool({V})"),
            (f"value/{v}/int", f"int({V})"),
            (f"value/{v}/float", f"float({V})"),
            (f"value/{v}/is_int", f"isinstance({V}, int)"),
            (f"value/{v}/eq_self", f"{V} == {V}"),
            (f"value/{v}/eq_int", f"{V} == {1 if v == 'Error' else 2}"),
            (f"value/{v}/name", f"{V}.name"),
            (f"value/{v}/hashable", f"len({{{V}: 1}})"),
            (f"value/{v}/pickle", f"import pickle\nresult = pickle.loads(pickle.dumps({V})) == {V}"),
            (f"value/{v}/type_name", f"type({V}).__name__"),
            (f"value/{v}/ne_other", f"{V} != classad.Value.{'Error' if v == 'Undefined' else 'Undefined'}"),
        ]
        for op in ("+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "<", "<=", ">", ">="):
            out.append((f"value/{v}/op{op}1", f"{V} {op} 1"))
            out.append((f"value/{v}/op1{op}", f"1 {op} {V}"))
        out.append((f"value/{v}/invert", f"~{V}"))
        out.append((f"value/{v}/not", f"not {V}"))
    out += [
        ("value/names", "sorted(classad.Value.names)"),
        ("value/values", "sorted(classad.Value.values)"),
        ("value/values_map", "sorted((k, str(v)) for k, v in classad.Value.values.items())"),
        ("value/from_int", "classad.Value(2)"),
        ("value/lookup_name", "classad.Value.names['Error']"),
        ("value/iter", "list(classad.Value)"),
        ("value/Undefined_in_ad", "classad.ClassAd({'x': classad.Value.Undefined})['x']"),
        ("value/Error_in_ad", "classad.ClassAd({'x': classad.Value.Error})['x']"),
        ("value/in_list", "classad.ClassAd({'x': [classad.Value.Error]})['x']"),
    ]
    return out


def parser_enum() -> list[Probe]:
    out: list[Probe] = []
    for p in ("Auto", "Old", "New"):
        out += [
            (f"parser/{p}/int", f"int(classad.Parser.{p})"),
            (f"parser/{p}/str", f"str(classad.Parser.{p})"),
            (f"parser/{p}/repr", f"repr(classad.Parser.{p})"),
            (f"parser/{p}/name", f"classad.Parser.{p}.name"),
        ]
    out += [
        ("parser/names", "sorted(classad.Parser.names)"),
        ("parser/values", "sorted(classad.Parser.values)"),
        ("parser/has_JSON", "hasattr(classad.Parser, 'JSON')"),
        ("parser/from_int", "classad.Parser(1)"),
    ]
    return out


def classad_mapping() -> list[Probe]:
    A = f"classad.ClassAd({AD!r})"  # noqa: N806
    out: list[Probe] = [
        ("ad/empty", "classad.ClassAd()"),
        ("ad/empty_len", "len(classad.ClassAd())"),
        ("ad/from_str", A),
        ("ad/from_str_kw", f"classad.ClassAd(input={AD!r})"),
        ("ad/from_bad_str", "classad.ClassAd('[a = ]')"),
        ("ad/from_str_no_brackets", "classad.ClassAd('a = 1')"),
        ("ad/from_str_trailing", "classad.ClassAd('[a = 1] junk')"),
        ("ad/from_int", "classad.ClassAd(1)"),
        ("ad/from_list", "classad.ClassAd([('a', 1)])"),
        ("ad/from_dict", "classad.ClassAd({'a': 1, 'B': 'x', 'c': [1, 2], 'd': {'e': 1}, 'f': None})"),
        ("ad/from_dict_kinds", "classad.ClassAd({'a': 1.5, 'b': True, 'c': (1, 2), 'd': b'by'})"),
        ("ad/from_dict_bytearray", "classad.ClassAd({'a': bytearray(b'ab')})['a']"),
        ("ad/from_dict_empty_key", "classad.ClassAd({'': 1})"),
        ("ad/set_empty_key", "ad = classad.ClassAd()\nad[''] = 2\nresult = ad"),
        ("ad/from_dict_int_key", "classad.ClassAd({1: 1})"),
        ("ad/from_dict_expr", "classad.ClassAd({'a': classad.ExprTree('x + 1')})"),
        ("ad/from_dict_object", "classad.ClassAd({'a': object()})"),
        ("ad/from_dict_datetime", "classad.ClassAd({'a': datetime.datetime(2020, 1, 2, 3, 4, 5)})"),
        ("ad/from_classad", f"classad.ClassAd({A})"),
        ("ad/len", f"len({A})"),
        ("ad/keys", f"sorted({A}.keys())"),
        ("ad/keys_type", f"type({A}.keys()).__name__"),
        ("ad/values_type", f"type({A}.values()).__name__"),
        ("ad/items_type", f"type({A}.items()).__name__"),
        ("ad/iter", f"sorted(iter({A}))"),
        ("ad/values", f"sorted(repr(v) for v in {A}.values())"),
        ("ad/items", f"sorted((k, repr(v)) for k, v in {A}.items())"),
        ("ad/keys_case", "list(classad.ClassAd('[FooBar = 1]').keys())"),
        ("ad/contains", f"('a' in {A}, 'A' in {A}, 'zz' in {A})"),
        ("ad/contains_int", f"1 in {A}"),
        ("ad/get_missing_KeyError", f"{A}['missing']"),
        (
            "ad/KeyError_args",
            f"result = None\ntry:\n    {A}['MiSsInG']\nexcept KeyError as e:\n    result = e.args",
        ),
        ("ad/lookup_missing", f"{A}.lookup('MiSsInG')"),
        (
            "ad/lookup_missing_args",
            f"result = None\ntry:\n    {A}.lookup('MiSsInG')\nexcept KeyError as e:\n    result = e.args",
        ),
        ("ad/eval_missing", f"{A}.eval('missing')"),
        ("ad/get", f"{A}.get('a')"),
        ("ad/get_default", f"{A}.get('missing', 7)"),
        ("ad/get_none", f"{A}.get('missing')"),
        ("ad/get_expr", f"{A}.get('b')"),
        ("ad/setdefault_new", "ad = classad.ClassAd()\nr = ad.setdefault('x', 5)\nresult = (r, ad)"),
        ("ad/setdefault_old", "ad = classad.ClassAd('[x = 1]')\nr = ad.setdefault('x', 5)\nresult = (r, ad)"),
        ("ad/setdefault_none", "ad = classad.ClassAd()\nr = ad.setdefault('x')\nresult = (r, ad)"),
        ("ad/update_dict", "ad = classad.ClassAd('[x = 1]')\nad.update({'y': 2, 'X': 3})\nresult = ad"),
        (
            "ad/update_ad",
            "ad = classad.ClassAd('[x = 1]')\nad.update(classad.ClassAd('[y = x]'))\nresult = ad",
        ),
        ("ad/update_pairs", "ad = classad.ClassAd()\nad.update([('y', 2)])\nresult = ad"),
        ("ad/update_kw", "ad = classad.ClassAd()\nad.update(y=2)\nresult = ad"),
        ("ad/update_int", "ad = classad.ClassAd()\nad.update(1)\nresult = ad"),
        ("ad/del", "ad = classad.ClassAd('[x = 1; y = 2]')\ndel ad['X']\nresult = ad"),
        ("ad/del_missing", "ad = classad.ClassAd('[x = 1]')\ndel ad['y']\nresult = ad"),
        ("ad/pop", "ad = classad.ClassAd('[x = 1; y = 2]')\nresult = (ad.pop('x'), ad)"),
        ("ad/popitem", "ad = classad.ClassAd('[x = 1]')\nresult = (ad.popitem(), ad)"),
        ("ad/clear", "ad = classad.ClassAd('[x = 1]')\nad.clear()\nresult = ad"),
        ("ad/copy", "ad = classad.ClassAd('[x = 1]')\nresult = ad.copy()"),
        ("ad/eq", "classad.ClassAd('[x = 1]') == classad.ClassAd('[X = 1]')"),
        ("ad/eq_order", "classad.ClassAd('[x = 1; y = 2]') == classad.ClassAd('[y = 2; x = 1]')"),
        ("ad/ne", "classad.ClassAd('[x = 1]') != classad.ClassAd('[x = 2]')"),
        ("ad/eq_dict", "classad.ClassAd('[x = 1]') == {'x': 1}"),
        ("ad/eq_expr_diff", "classad.ClassAd('[x = 1 + 1]') == classad.ClassAd('[x = 2]')"),
        ("ad/hash", "hash(classad.ClassAd())"),
        ("ad/bool_empty", "bool(classad.ClassAd())"),
        ("ad/bool_full", "bool(classad.ClassAd('[a = 1]'))"),
        ("ad/pickle", f"import pickle\nresult = pickle.loads(pickle.dumps({A}))"),
        ("ad/pickle_eq", f"import pickle\nresult = pickle.loads(pickle.dumps({A})) == {A}"),
        ("ad/getinitargs", "classad.ClassAd('[a = 1]').__getinitargs__()"),
        ("ad/str", f"lines(str({A}))"),
        ("ad/repr_one", "repr(classad.ClassAd('[a = 1]'))"),
        ("ad/str_one", "str(classad.ClassAd('[a = 1]'))"),
        ("ad/str_empty", "str(classad.ClassAd())"),
        ("ad/repr_empty", "repr(classad.ClassAd())"),
        ("ad/printOld", f"lines({A}.printOld())"),
        ("ad/printOld_one", "classad.ClassAd('[a = 1]').printOld()"),
        ("ad/printOld_empty", "classad.ClassAd().printOld()"),
        ("ad/printJson", f"lines({A}.printJson())"),
        ("ad/printJson_one", "classad.ClassAd('[a = 1]').printJson()"),
        ("ad/printJson_empty", "classad.ClassAd().printJson()"),
        (
            "ad/mapping_abc",
            "import collections.abc\nresult = isinstance(classad.ClassAd(), collections.abc.Mapping)",
        ),
        ("ad/dict_of", f"sorted(dict({A}))"),
        ("ad/set_list", "ad = classad.ClassAd()\nad['l'] = [1, [2, 3], {'z': 1}]\nresult = ad"),
        ("ad/set_ad", "ad = classad.ClassAd()\nad['n'] = classad.ClassAd('[q = 1]')\nresult = ad"),
        ("ad/set_expr_text", "ad = classad.ClassAd()\nad['e'] = classad.ExprTree('a + b')\nresult = ad"),
        ("ad/set_str_not_parsed", "ad = classad.ClassAd()\nad['e'] = 'a + b'\nresult = ad"),
        ("ad/set_big_int", "ad = classad.ClassAd()\nad['e'] = 2**70\nresult = ad"),
        ("ad/set_nan", "ad = classad.ClassAd()\nad['e'] = float('nan')\nresult = repr(ad)"),
        ("ad/set_inf", "ad = classad.ClassAd()\nad['e'] = float('inf')\nresult = repr(ad)"),
        ("ad/set_int_key", "ad = classad.ClassAd()\nad[1] = 2\nresult = ad"),
        (
            "ad/case_keeps_first",
            "ad = classad.ClassAd()\nad['Foo'] = 1\nad['FOO'] = 2\nresult = list(ad.keys())",
        ),
    ]
    for key in ("a", "b", "s", "r", "l", "n", "u", "e", "t"):
        out.append((f"ad/getitem/{key}", f"{A}[{key!r}]"))
        out.append((f"ad/getitem_type/{key}", f"type({A}[{key!r}]).__name__"))
        out.append((f"ad/eval/{key}", f"{A}.eval({key!r})"))
        out.append((f"ad/lookup/{key}", f"{A}.lookup({key!r})"))
        out.append((f"ad/lookup_eval/{key}", f"{A}.lookup({key!r}).eval()"))
    for lit in (
        'absTime("2020-01-02T03:04:05Z")',
        'relTime("1:00:00")',
        "-0.0",
        "1e300",
        "{}",
        "[]",
        "9223372036854775807",
        '"\\u00e9"',
        "{[a = 1], [b = 2]}",
        "{{1}}",
        "x",
        "a.b",
        "false || true",
    ):
        out.append((f"ad/value/{lit}", f"classad.ClassAd({('[v = ' + lit + ']')!r})['v']"))
        out.append((f"ad/evalv/{lit}", f"classad.ClassAd({('[v = ' + lit + ']')!r}).eval('v')"))
    out += [
        ("ad/abstime_tz", "classad.ClassAd('[v = absTime(\"2020-01-02T03:04:05Z\")]')['v'].tzinfo is None"),
        ("ad/nested_type", "type(classad.ClassAd('[v = [a = 1]]')['v']).__name__"),
        ("ad/nested_dict_eq", "classad.ClassAd('[v = [a = 1]]')['v'] == {'a': 1}"),
        ("ad/nested_key", "classad.ClassAd('[v = [a = 1]]')['v']['a']"),
        ("ad/nested_eval_type", "type(classad.ClassAd('[v = [a = 1]]').eval('v')).__name__"),
        ("ad/eval_kw", f"{A}.eval(attr='b')"),
        ("ad/lookup_kw", f"{A}.lookup(attr='b')"),
        ("ad/eval_expr_arg", f"{A}.eval(classad.ExprTree('a'))"),
    ]
    return out


def classad_methods() -> list[Probe]:
    job = "classad.ClassAd('[Requirements = TARGET.Memory > 100; Memory = 50]')"
    mach = "classad.ClassAd('[Requirements = TARGET.Memory < 100; Memory = 200]')"
    out: list[Probe] = [
        ("ad/matches", f"{job}.matches({mach})"),
        ("ad/matches_rev", f"{mach}.matches({job})"),
        ("ad/symmetricMatch", f"{job}.symmetricMatch({mach})"),
        ("ad/matches_kw", f"{job}.matches(ad={mach})"),
        ("ad/symmetricMatch_kw", f"{job}.symmetricMatch(ad={mach})"),
        ("ad/matches_self", "ad = classad.ClassAd('[Requirements = true]')\nresult = ad.matches(ad)"),
        (
            "ad/matches_self_refs",
            "ad = classad.ClassAd('[Requirements = TARGET.x == MY.x; x = 1]')\nresult = ad.matches(ad)",
        ),
        (
            "ad/symmetric_self",
            "ad = classad.ClassAd('[Requirements = true]')\nresult = ad.symmetricMatch(ad)",
        ),
        ("ad/matches_noreq", "classad.ClassAd().matches(classad.ClassAd())"),
        ("ad/matches_dict", "classad.ClassAd().matches({'Requirements': True})"),
        ("ad/matches_int_req", "classad.ClassAd().matches(classad.ClassAd('[Requirements = 1]'))"),
        ("ad/matches_str_req", "classad.ClassAd().matches(classad.ClassAd('[Requirements = \"yes\"]'))"),
        ("ad/matches_error_req", "classad.ClassAd().matches(classad.ClassAd('[Requirements = error]'))"),
        ("ad/flatten", "classad.ClassAd('[a = 1]').flatten(classad.ExprTree('a + b'))"),
        ("ad/flatten_full", "classad.ClassAd('[a = 1; b = 2]').flatten(classad.ExprTree('a + b'))"),
        ("ad/flatten_kw", "classad.ClassAd('[a = 1]').flatten(expr=classad.ExprTree('a + b'))"),
        ("ad/flatten_str", "classad.ClassAd('[a = 1]').flatten('a + b')"),
        ("ad/flatten_int", "classad.ClassAd('[a = 1]').flatten(1)"),
        ("ad/flatten_undefined", "classad.ClassAd().flatten(classad.ExprTree('undefined'))"),
        ("ad/externalRefs", "classad.ClassAd('[a = b + TARGET.c]').externalRefs(classad.ExprTree('a + d'))"),
        ("ad/internalRefs", "classad.ClassAd('[a = b + 1; b = 2]').internalRefs(classad.ExprTree('a + d'))"),
        ("ad/externalRefs_none", "classad.ClassAd().externalRefs(classad.ExprTree('1'))"),
        ("ad/internalRefs_none", "classad.ClassAd().internalRefs(classad.ExprTree('1'))"),
        ("ad/externalRefs_kw", "classad.ClassAd().externalRefs(expr=classad.ExprTree('x'))"),
        ("ad/internalRefs_kw", "classad.ClassAd('[x = 1]').internalRefs(expr=classad.ExprTree('x'))"),
        ("ad/externalRefs_str", "classad.ClassAd().externalRefs('x')"),
        ("ad/externalRefs_int", "classad.ClassAd().externalRefs(1)"),
        ("ad/lookup_scope", "classad.ClassAd('[a = 1; b = a + 1]').lookup('b').eval()"),
        ("ad/getitem_scope", "classad.ClassAd('[a = 1; b = a + 1]')['b'].eval()"),
        ("ad/eval_circular", "classad.ClassAd('[a = b; b = a]').eval('a')"),
        ("ad/eval_list_ref", "classad.ClassAd('[a = 1; b = {a, a + 1}]').eval('b')"),
    ]
    return out


EXPRS = [
    "1",
    "2.5",
    '"s"',
    "true",
    "false",
    "undefined",
    "error",
    "x",
    "1 + 2",
    "{1, 2}",
    "[a = 1]",
    "-1",
    "0",
    '""',
    '"12 "',
    '" 12"',
    '"1_000"',
    '"0x10"',
    '" 3.5 "',
    '"0x1p4"',
    '"1e3"',
    '"abc"',
    '"3.9"',
    '"-7"',
    '"+7"',
    "3.9",
    "-3.9",
    "1e30",
    "9223372036854775807",
    'relTime("1:00")',
    'absTime("2020-01-01T00:00:00Z")',
    '"inf"',
    '"nan"',
    '"  "',
    '"10abc"',
    '"1.5e"',
    "1/0",
    "x + 1",
    '"true"',
    '"TRUE"',
    '"false"',
    '"1"',
    '"0"',
    "{}",
    "1 < 2",
    "2 ?: 3",
]


def exprtree() -> list[Probe]:
    out: list[Probe] = []
    for i, t in enumerate(EXPRS):
        E = f"classad.ExprTree({t!r})"  # noqa: N806
        out += [
            (f"conv/{i}/int {t}", f"int({E})"),
            (f"conv/{i}/float {t}", f"float({E})"),
            (f"conv/{i}/bool {t}", f"bool({E})"),
            (f"conv/{i}/str {t}", f"str({E})"),
            (f"conv/{i}/repr {t}", f"repr({E})"),
            (f"conv/{i}/eval {t}", f"{E}.eval()"),
            (f"conv/{i}/simplify {t}", f"{E}.simplify()"),
        ]
    out += [
        ("expr/from_None", "classad.ExprTree(None)"),
        ("expr/no_arg", "classad.ExprTree()"),
        ("expr/from_int", "classad.ExprTree(1)"),
        ("expr/from_expr", "classad.ExprTree(classad.ExprTree('a + 1'))"),
        ("expr/from_list", "classad.ExprTree([1, 2])"),
        ("expr/from_ad", "classad.ExprTree(classad.ClassAd('[a = 1]'))"),
        ("expr/kw", "classad.ExprTree(expr='a')"),
        ("expr/bad", "classad.ExprTree('1 +')"),
        ("expr/bad_type", "classad.ExprTree(object())"),
        ("expr/trailing_semicolon", "classad.ExprTree('1;')"),
        ("expr/comment", "classad.ExprTree('1 // c')"),
        ("expr/whitespace", "classad.ExprTree('  1  ')"),
        ("expr/empty", "classad.ExprTree('')"),
        ("expr/eval_scope", "classad.ExprTree('a + 1').eval(classad.ClassAd('[a = 2]'))"),
        ("expr/eval_scope_kw", "classad.ExprTree('a + 1').eval(scope=classad.ClassAd('[a = 2]'))"),
        ("expr/eval_scope_dict", "classad.ExprTree('a + 1').eval({'a': 2})"),
        ("expr/eval_scope_int", "classad.ExprTree('a + 1').eval(1)"),
        ("expr/eval_scope_None", "classad.ExprTree('a + 1').eval(None)"),
        (
            "expr/eval_target",
            "classad.ExprTree('TARGET.a').eval(classad.ClassAd(), classad.ClassAd('[a = 3]'))",
        ),
        (
            "expr/eval_target_kw",
            "classad.ExprTree('TARGET.a').eval(scope=classad.ClassAd(), target=classad.ClassAd('[a = 3]'))",
        ),
        ("expr/simplify_scope", "classad.ExprTree('a + 1').simplify(classad.ClassAd('[a = 2]'))"),
        ("expr/simplify_kw", "classad.ExprTree('a + 1').simplify(scope=classad.ClassAd('[a = 2]'))"),
        (
            "expr/simplify_target",
            "classad.ExprTree('TARGET.a').simplify(classad.ClassAd(), classad.ClassAd('[a = 3]'))",
        ),
        (
            "expr/simplify_target_kw",
            "classad.ExprTree('TARGET.a').simplify(scope=classad.ClassAd(), target=classad.ClassAd('[a = 3]'))",
        ),
        ("expr/simplify_undef", "classad.ExprTree('x').simplify()"),
        ("expr/simplify_list", "classad.ExprTree('{1 + 1}').simplify()"),
        ("expr/sameAs", "classad.ExprTree('a + 1').sameAs(classad.ExprTree('a + 1'))"),
        ("expr/sameAs_diff", "classad.ExprTree('a + 1').sameAs(classad.ExprTree('a+2'))"),
        ("expr/sameAs_kw", "classad.ExprTree('a').sameAs(expr=classad.ExprTree('a'))"),
        ("expr/sameAs_int", "classad.ExprTree('1').sameAs(1)"),
        ("expr/sameAs_case", "classad.ExprTree('A').sameAs(classad.ExprTree('a'))"),
        ("expr/sameAs_paren", "classad.ExprTree('(a)').sameAs(classad.ExprTree('a'))"),
        ("expr/hash_type", "type(hash(classad.ExprTree('a'))).__name__"),
        ("expr/hash_consistent", "hash(classad.ExprTree('a + 1')) == hash(classad.ExprTree('a + 1'))"),
        ("expr/in_set", "len({classad.ExprTree('a'), classad.ExprTree('a')})"),
        ("expr/pickle", "import pickle\nresult = pickle.loads(pickle.dumps(classad.ExprTree('a + 1.5')))"),
        ("expr/getinitargs", "classad.ExprTree('a + 1').__getinitargs__()"),
        ("expr/getitem_list", "classad.ExprTree('{10, 20}')[0]"),
        ("expr/getitem_list_eval", "classad.ExprTree('{10, 20}')[1].eval()"),
        ("expr/getitem_ad", "classad.ExprTree('[a = 1]')['a']"),
        ("expr/getitem_ad_eval", "classad.ExprTree('[a = 1]')['a'].eval()"),
        ("expr/getitem_expr", "classad.ExprTree('x')[classad.ExprTree('y')]"),
        ("expr/get", "classad.ExprTree('{10, 20}')._get(1)"),
        ("expr/contains", "1 in classad.ExprTree('{1, 2}')"),
        ("expr/contains_no", "3 in classad.ExprTree('{1, 2}')"),
        ("expr/iter", "list(classad.ExprTree('{1, 2}'))"),
        ("expr/len", "len(classad.ExprTree('{1, 2}'))"),
        ("expr/and_", "classad.ExprTree('a').and_(classad.ExprTree('b'))"),
        ("expr/or_", "classad.ExprTree('a').or_(1)"),
        ("expr/is_", "classad.ExprTree('a').is_(classad.Value.Undefined)"),
        ("expr/isnt_", "classad.ExprTree('a').isnt_(None)"),
        ("expr/and_kw", "classad.ExprTree('a').and_(expr=1)"),
        ("expr/or_kw", "classad.ExprTree('a').or_(expr=1)"),
        ("expr/is_kw", "classad.ExprTree('a').is_(expr=1)"),
        ("expr/isnt_kw", "classad.ExprTree('a').isnt_(expr=1)"),
        ("expr/and_eval", "classad.ExprTree('true').and_(False).eval()"),
        (
            "expr/lookup_eval_scope",
            "classad.ClassAd('[a = 5; b = a]').lookup('b').eval(classad.ClassAd('[a = 7]'))",
        ),
        ("expr/bool_raise_error", "bool(classad.ExprTree('error'))"),
        ("expr/bool_list", "bool(classad.ExprTree('{}'))"),
        ("expr/bool_str", "bool(classad.ExprTree('\"x\"'))"),
        ("expr/if", "result = 'yes' if classad.ExprTree('1 < 2') else 'no'"),
        ("expr/if_not", "result = 'yes' if classad.ExprTree('1 > 2') else 'no'"),
        ("expr/int_bool", "int(classad.ExprTree('true'))"),
        ("expr/float_bool", "float(classad.ExprTree('false'))"),
        ("expr/int_big_real", "int(classad.ExprTree('1e30'))"),
        ("expr/neg", "-classad.ExprTree('a')"),
        ("expr/invert", "~classad.ExprTree('a')"),
        ("expr/abs", "abs(classad.ExprTree('a'))"),
        ("expr/pos", "+classad.ExprTree('a')"),
        ("expr/round", "round(classad.ExprTree('1.5'))"),
        ("expr/index", "[1, 2, 3][classad.ExprTree('1')]"),
    ]
    return out


OPERATORS = ["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "<", "<=", ">", ">=", "==", "!="]
OPERANDS = {
    "E": "classad.ExprTree('a')",
    "E2": "classad.ExprTree('b + 1')",
    "Attr": "classad.Attribute('x')",
    "int": "2",
    "float": "1.5",
    "str": "'s'",
    "bool": "True",
    "None": "None",
    "list": "[1]",
    "Und": "classad.Value.Undefined",
}


def operators() -> list[Probe]:
    out: list[Probe] = []
    for op in OPERATORS:
        for ln, lhs in OPERANDS.items():
            for rn, rhs in OPERANDS.items():
                tree = ln in ("E", "E2", "Attr") or rn in ("E", "E2", "Attr")
                if not tree:
                    continue
                if ln in ("E2", "Attr") and rn in ("E2", "Attr"):
                    continue
                out.append((f"op/{ln}{op}{rn}", f"{lhs} {op} {rhs}"))
        out.append((f"op/eval/{op}", f"(classad.ExprTree('7') {op} 3).eval()"))
        out.append((f"op/reval/{op}", f"(7 {op} classad.ExprTree('3')).eval()"))
        out.append((f"op/type/{op}", f"type(classad.ExprTree('7') {op} classad.ExprTree('3')).__name__"))
    out += [
        ("op/precedence", "(classad.ExprTree('a') + 1) * 2"),
        ("op/precedence2", "classad.ExprTree('a') + classad.ExprTree('b') * 2"),
        ("op/chain_sub", "classad.ExprTree('a') - (classad.ExprTree('b') - 1)"),
        ("op/ternary_operand", "classad.ExprTree('a ? b : c') + 1"),
        ("op/eq_same", "classad.ExprTree('a') == classad.ExprTree('a')"),
        ("op/eq_bool_same", "bool(classad.ExprTree('a') == classad.ExprTree('a'))"),
        ("op/eq_bool_diff", "bool(classad.ExprTree('1') == classad.ExprTree('2'))"),
        ("op/eq_bool_values", "bool(classad.ExprTree('2') == classad.ExprTree('1 + 1'))"),
        ("op/eq_bool_lit", "bool(classad.ExprTree('1') == 1)"),
        ("op/ne_bool", "bool(classad.ExprTree('1') != classad.ExprTree('2'))"),
        ("op/eq_object", "classad.ExprTree('1') == object()"),
        ("op/lt_bool", "bool(classad.Attribute('x') < 1)"),
        ("op/inplace", "e = classad.ExprTree('a')\ne += 1\nresult = e"),
        ("op/lt_eval", "(classad.ExprTree('1') < classad.ExprTree('2')).eval()"),
        ("op/lt_scope", "(classad.ClassAd('[x = 1]').lookup('x') < 2).eval()"),
        ("op/add_scope", "(classad.ClassAd('[x = 1]').lookup('x') + 2).eval()"),
    ]
    return out


def builders() -> list[Probe]:
    out: list[Probe] = [
        ("build/Attribute", "classad.Attribute('Memory')"),
        ("build/Attribute_kw", "classad.Attribute(name='Memory')"),
        ("build/Attribute_weird", "classad.Attribute('a b')"),
        ("build/Attribute_int", "classad.Attribute(1)"),
        ("build/Attribute_eval", "classad.Attribute('a').eval(classad.ClassAd('[a = 4]'))"),
        ("build/Attribute_scoped", "classad.Attribute('MY.a')"),
        ("build/Function", "classad.Function('strcat', 'a', 1, classad.Attribute('x'))"),
        ("build/Function_eval", "classad.Function('strcat', 'a', 1).eval()"),
        ("build/Function_noargs", "classad.Function('time')"),
        ("build/Function_int", "classad.Function(1)"),
        ("build/Function_kw", "classad.Function(name='size')"),
        ("build/Function_list", "classad.Function('size', [1, 2]).eval()"),
        ("build/Literal_int", "classad.Literal(1)"),
        ("build/Literal_kw", "classad.Literal(obj=1)"),
        ("build/Literal_str", "classad.Literal('a\"b')"),
        ("build/Literal_list", "classad.Literal([1, 'a'])"),
        ("build/Literal_dict", "classad.Literal({'a': 1})"),
        ("build/Literal_None", "classad.Literal(None)"),
        ("build/Literal_expr", "classad.Literal(classad.ExprTree('1 + 2'))"),
        ("build/Literal_expr_attr", "classad.Literal(classad.ExprTree('x'))"),
        ("build/Literal_expr_list", "classad.Literal(classad.ExprTree('{1, 1 + 1}'))"),
        ("build/Literal_float", "classad.Literal(2.5)"),
        ("build/Literal_bool", "classad.Literal(False)"),
        ("build/Literal_Value", "classad.Literal(classad.Value.Error)"),
        ("build/Literal_object", "classad.Literal(object())"),
        ("build/Literal_datetime", "classad.Literal(datetime.datetime(2020, 1, 1))"),
        ("build/Literal_ad", "classad.Literal(classad.ClassAd('[a = 1]'))"),
        ("build/Literal_type", "type(classad.Literal(1)).__name__"),
    ]
    return out


def register() -> list[Probe]:
    pre = "import uuid\nn = 'f' + uuid.uuid4().hex[:8]\n"
    return [
        (
            "reg/basic",
            pre + "classad.register(lambda x: x * 2, name=n)\nresult = classad.ExprTree(n + '(21)').eval()",
        ),
        (
            "reg/by_name",
            "def doubleit(x):\n    return x * 2\nclassad.register(doubleit)\nresult = classad.ExprTree('doubleit(4)').eval()",
        ),
        (
            "reg/kw",
            pre + "classad.register(function=lambda: 1, name=n)\nresult = classad.ExprTree(n + '()').eval()",
        ),
        (
            "reg/case",
            pre + "classad.register(lambda: 1, name=n)\nresult = classad.ExprTree(n.upper() + '()').eval()",
        ),
        (
            "reg/str_arg",
            pre
            + "classad.register(lambda s: s.upper(), name=n)\nresult = classad.ExprTree(n + '(\"ab\")').eval()",
        ),
        (
            "reg/list_arg",
            pre
            + "classad.register(lambda l: len(l), name=n)\nresult = classad.ExprTree(n + '({1, 2, 3})').eval()",
        ),
        (
            "reg/ad_arg",
            pre
            + "classad.register(lambda a: type(a).__name__, name=n)\nresult = classad.ExprTree(n + '([a = 1])').eval()",
        ),
        (
            "reg/undef_arg",
            pre + "classad.register(lambda a: str(a), name=n)\nresult = classad.ExprTree(n + '(x)').eval()",
        ),
        (
            "reg/returns_list",
            pre + "classad.register(lambda: [1, 2], name=n)\nresult = classad.ExprTree(n + '()').eval()",
        ),
        (
            "reg/returns_None",
            pre + "classad.register(lambda: None, name=n)\nresult = classad.ExprTree(n + '()').eval()",
        ),
        (
            "reg/returns_expr",
            pre
            + "classad.register(lambda: classad.ExprTree('a + 1'), name=n)\nresult = classad.ClassAd({'a': 1, 'b': classad.ExprTree(n + '()')}).eval('b')",
        ),
        (
            "reg/returns_expr_toplevel",
            pre
            + "classad.register(lambda: classad.ExprTree('1 + 1'), name=n)\nresult = classad.ExprTree(n + '()').eval()",
        ),
        (
            "reg/raises",
            pre
            + "def f():\n    raise ValueError('boom')\nclassad.register(f, name=n)\nresult = classad.ExprTree(n + '()').eval()",
        ),
        (
            "reg/wrong_arity",
            pre + "classad.register(lambda x: x, name=n)\nresult = classad.ExprTree(n + '()').eval()",
        ),
        (
            "reg/state",
            pre
            + "classad.register(lambda ad, x: ad['a'] + x, name=n, state=True)\nresult = classad.ClassAd({'a': 1, 'b': classad.ExprTree(n + '(2)')}).eval('b')",
        ),
        (
            "reg/state_type",
            pre
            + "classad.register(lambda ad: type(ad).__name__, name=n, state=True)\nresult = classad.ClassAd({'b': classad.ExprTree(n + '()')}).eval('b')",
        ),
        (
            "reg/builtin_name",
            "classad.register(lambda *a: 'mine', name='strcat')\nresult = classad.ExprTree('strcat(\"a\", \"b\")').eval()",
        ),
        (
            "reg/builtin_name_size",
            "classad.register(lambda *a: -1, name='size')\nresult = classad.ExprTree('size({1})').eval()",
        ),
        ("reg/not_callable", "classad.register(1, name='zz')"),
        ("reg/lambda_no_name", "classad.register(lambda: 1)\nresult = classad.ExprTree('<lambda>()').eval()"),
        (
            "reg/returns_object",
            pre + "classad.register(lambda: object(), name=n)\nresult = classad.ExprTree(n + '()').eval()",
        ),
        ("reg/registered_dict", "type(getattr(classad, '_registered_functions', None)).__name__"),
        (
            "reg/reregister",
            pre
            + "classad.register(lambda: 1, name=n)\nclassad.register(lambda: 2, name=n)\nresult = classad.ExprTree(n + '()').eval()",
        ),
        (
            "reg/lastError_after",
            "try:\n    classad.registerLibrary('/nonexistent.so')\nexcept Exception:\n    pass\nresult = type(classad.lastError()).__name__",
        ),
    ]


OLD_TEXT = 'a = 1\nb = "x"\n\nc = a + 1\n'
NEW_TEXT = '[a = 1; b = "x"]\n[c = 2]\n'


def parsing() -> list[Probe]:
    o, n = repr(OLD_TEXT), repr(NEW_TEXT)
    out: list[Probe] = []
    srcs = {
        "str": "{t}",
        "file": "open(write('f.ads', {t}))",
        "path": "write('p.ads', {t})",
        "pipe": "pipe({t})",
        "bytesio": "io.BytesIO({t}.encode())",
        "stringio": "io.StringIO({t})",
        "rb": "open(write('b.ads', {t}), 'rb')",
    }
    for sname, src in srcs.items():
        for tname, text in (("old", o), ("new", n)):
            s = src.format(t=text)
            out += [
                (f"parse/parseAds/{sname}/{tname}", f"list(classad.parseAds({s}))"),
                (f"parse/parseOne/{sname}/{tname}", f"classad.parseOne({s})"),
                (f"parse/parseNext/{sname}/{tname}", f"classad.parseNext({s})"),
                (
                    f"parse/parseNext2/{sname}/{tname}",
                    f"f = {s}\nresult = [classad.parseNext(f), classad.parseNext(f)]",
                ),
                (
                    f"parse/parseNext_end/{sname}/{tname}",
                    f"f = {s}\nresult = [classad.parseNext(f) for _ in range(2)] + [classad.parseNext(f)]",
                ),
                (f"parse/parseOld/{sname}/{tname}", f"classad.parseOld({s})"),
                (f"parse/parseOldAds/{sname}/{tname}", f"list(classad.parseOldAds({s}))"),
                (f"parse/parse/{sname}/{tname}", f"classad.parse({s})"),
            ]
            for p in ("Auto", "Old", "New"):
                out.append(
                    (
                        f"parse/parseAds_{p}/{sname}/{tname}",
                        f"list(classad.parseAds({s}, classad.Parser.{p}))",
                    )
                )
    out += [
        ("parse/parseAds_kw", f"list(classad.parseAds(input={n}, parser=classad.Parser.New))"),
        ("parse/parseOne_kw", f"classad.parseOne(input={n}, parser=classad.Parser.New)"),
        ("parse/parseNext_kw", f"classad.parseNext(input={n}, parser=classad.Parser.New)"),
        ("parse/parseOld_kw", f"classad.parseOld(input={o})"),
        ("parse/parse_kw", "classad.parse(input='[a = 1]')"),
        ("parse/parseOldAds_kw", f"list(classad.parseOldAds(input={o}))"),
        ("parse/parseAds_int_parser", f"list(classad.parseAds({n}, 3))"),
        ("parse/parseAds_bad_parser", f"list(classad.parseAds({n}, 'x'))"),
        ("parse/parseAds_int", "list(classad.parseAds(42))"),
        ("parse/parseAds_None", "list(classad.parseAds(None))"),
        ("parse/parseAds_type", f"type(classad.parseAds({n})).__name__"),
        ("parse/parseOldAds_type", f"type(classad.parseOldAds({o})).__name__"),
        ("parse/parseAds_iter_next", f"it = classad.parseAds({n})\nresult = [next(it), next(it)]"),
        ("parse/parseAds_exhaust", f"it = classad.parseAds({n})\nnext(it)\nnext(it)\nresult = next(it)"),
        ("parse/parseAds_empty", "list(classad.parseAds(''))"),
        ("parse/parseOne_empty", "classad.parseOne('')"),
        ("parse/parseNext_empty", "classad.parseNext('')"),
        ("parse/parseOld_empty", "classad.parseOld('')"),
        ("parse/parse_empty", "classad.parse('')"),
        ("parse/parse_bad", "classad.parse('[a = ]')"),
        ("parse/parseOld_bad", "classad.parseOld('a = \\nb = 2')"),
        ("parse/parseOne_bad", "classad.parseOne('[a = ]')"),
        ("parse/parseAds_bad", "list(classad.parseAds('[a = ]'))"),
        ("parse/parseAds_bad_old", "list(classad.parseAds('a = 1\\nb = \\nc = 3'))"),
        ("parse/parseAds_comment_new", "list(classad.parseAds('/* c */ [a = 1]'))"),
        ("parse/parseAds_old_comment", "list(classad.parseAds('# c\\na = 1'))"),
        ("parse/parseOne_merge", "classad.parseOne('a = 1\\n\\na = 2\\nb = 3')"),
        ("parse/parseAds_mixed", "list(classad.parseAds('[a = 1]\\nb = 2\\n'))"),
        ("parse/parse_old_text", "classad.parse('a = 1')"),
        ("parse/parseOld_new_text", "classad.parseOld('[a = 1]')"),
        ("parse/parse_two", "classad.parse('[a = 1][b = 2]')"),
        ("parse/parseOld_two", "classad.parseOld('a = 1\\n\\nb = 2')"),
        (
            "parse/deprecation_parse",
            "import warnings\nwith warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n    classad.parse('[a = 1]')\nresult = [x.category.__name__ for x in w]",
        ),
        (
            "parse/deprecation_parseOld",
            "import warnings\nwith warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n    classad.parseOld('a = 1')\nresult = [x.category.__name__ for x in w]",
        ),
        (
            "parse/deprecation_parseOldAds",
            "import warnings\nwith warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n    list(classad.parseOldAds('a = 1'))\nresult = [x.category.__name__ for x in w]",
        ),
        (
            "parse/no_deprecation_parseAds",
            "import warnings\nwith warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n    list(classad.parseAds('a = 1'))\nresult = [x.category.__name__ for x in w]",
        ),
        ("parse/file_iterator_type", "type(classad.parseAds(open(write('it.ads', '[a = 1]')))).__name__"),
        (
            "parse/parseNext_iterator",
            "it = classad.parseAds('[a = 1][b = 2]')\nresult = classad.parseNext(it) if False else list(it)",
        ),
        ("parse/FileIterator_ctor", "classad.ClassAdFileIterator()"),
        ("parse/OldIterator_ctor", "classad.OldClassAdIterator()"),
        ("parse/StringIterator_ctor", "classad.ClassAdStringIterator()"),
        ("parse/FileIterator_list", "list(classad.ClassAdFileIterator())"),
        (
            "parse/iterators_deprecated",
            "import warnings\nwith warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n    classad.ClassAdFileIterator, classad.OldClassAdIterator, classad.ClassAdStringIterator\nresult = len(w) > 0",
        ),
    ]
    return out


FAMILIES: list[Callable[[], list[Probe]]] = [
    module, exceptions, values, parser_enum, classad_mapping, classad_methods, exprtree, operators, builders,
    register, parsing,
]  # fmt: skip


def all_probes() -> list[Probe]:
    """Every probe, in family order."""
    return [p for family in FAMILIES for p in family()]
