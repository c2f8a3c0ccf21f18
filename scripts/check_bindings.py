#!/usr/bin/env python3
"""Checks every binding against the C header: `make test-bindings`.

include/gcounter.h is the list. For the C++ wrapper (include/gcounter.hpp) and the Go, Java,
Node.js, Python and Ruby bindings, it checks that each:

- calls every gcounter_* function of the header, unless bindings/left-out.txt lists that
  function for that binding with the reason, and calls none that the list says it leaves out;
- names no gcounter_* function that the header lacks;
- declares each C prototype it declares itself (Java, Node.js, Python and Ruby; the C++ and Go
  compilers read the header) once, with the header's arity and a type of the same size and
  kind for the result and every parameter;
- has the header's gcounter_status and gcounter_order constants, by name and number, and
  mentions no GCOUNTER_ constant that the header lacks;
- loads libgcounter.so.<major> of Cargo.toml's version, where it loads the library by name at
  run time, and names no other soname.

Each failure is printed with what to do; the last line is "bindings: N passed, N failed", and
the exit status is 1 when anything failed.

Usage: scripts/check_bindings.py [REPOSITORY_ROOT]   (default: this script's repository)
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

LEFT_OUT = "bindings/left-out.txt"
BINDINGS = ("cxx", "go", "java", "node", "python", "ruby")


# ----------------------------------------------------------------------
# What the header and Cargo.toml say
# ----------------------------------------------------------------------

# The kind of a C type, as far as a binding's declaration of it must agree: a handle, a byte
# string, a 64-bit or pointer-sized integer, a 32-bit integer, a bool, or a pointer to one
# (an out-parameter). Every binding type below stands for one or more of these.
C_KINDS = {
    "void": "void",
    "bool": "bool",
    "uint64_t": "u64",
    "size_t": "size",
    "uint32_t": "int32",
    "int32_t": "int32",
    "int": "int32",
    "gcounter_status": "int32",
    "gcounter_order": "int32",
    "gcounter_t*": "handle",
    "char*": "bytes",
    "uint64_t*": "out u64",
    "size_t*": "out size",
    "gcounter_order*": "out int32",
    "char**": "out pointer",
    "gcounter_t**": "out pointer",
}


def c_kind(c_type: str) -> str:
    """The kind of a C type such as "const struct gcounter_t *"."""
    spelled = re.sub(r"\b(?:const|struct|enum)\b|\s+", "", c_type)
    if spelled not in C_KINDS:
        raise ValueError(
            f"the header uses the C type '{c_type}', which {Path(__file__).name} does not "
            f"know: add it to C_KINDS and to the binding types that may carry it"
        )
    return C_KINDS[spelled]


@dataclass
class Prototype:
    result: str  # a kind
    parameters: list[str]  # kinds
    text: str  # the declaration, for messages


@dataclass
class Header:
    functions: dict[str, Prototype]
    types: set[str]
    statuses: dict[str, int]  # GCOUNTER_OK -> 0, ...
    orders: dict[str, int]  # GCOUNTER_ORDER_EQUAL -> 0, ...
    soname: str
    version: str


# Comments and string literals of C, C++, Go and Java, in one left-to-right pass so that a quote
# inside a comment, or a comment marker inside a string, is read for what it is.
C_LIKE_TOKENS = re.compile(
    r'"(?:\\.|[^"\\\n])*"|`[^`]*`|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S
)
RUBY_TOKENS = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|#[^\n]*')


def code_only(text: str, tokens: re.Pattern[str] = C_LIKE_TOKENS) -> str:
    """`text` with comments and the contents of string literals blanked out."""
    return tokens.sub(lambda match: "\n" * match.group(0).count("\n") or " ", text)


def enum_values(code: str, name: str) -> dict[str, int]:
    """The constants of C enum `name`, with C's implicit numbering."""
    # cbindgen gives a repr(u32) enum a fixed underlying type in C++ and C23: `enum x : uint32_t {`.
    body = re.search(rf"\benum\s+{name}\s*(?::\s*\w+\s*)?\{{([^}}]*)\}}", code)
    if body is None:
        return {}
    values, following = {}, 0
    for entry in body.group(1).split(","):
        match = re.fullmatch(r"\s*(\w+)\s*(?:=\s*(-?(?:0x[0-9a-fA-F]+|\d+))[uU]?)?\s*", entry)
        if match is None or not entry.strip():
            continue
        following = int(match.group(2), 0) if match.group(2) else following
        values[match.group(1)] = following
        following += 1
    return values


# A C prototype: its result type, its name and its parameter list.
C_PROTOTYPE = re.compile(r"([\w\s*]+?)\b(gcounter_\w+)\s*\(([^()]*)\)")


def c_types(match: re.Match[str]) -> tuple[str, list[str]]:
    """The result type and the parameter types of a C_PROTOTYPE match, as spelled."""
    result, _, parameter_list = match.groups()
    parameters = [] if parameter_list.strip() in ("", "void") else parameter_list.split(",")
    # Each parameter is its type followed by its name.
    return result.strip(), [re.sub(r"\w+\s*$", "", p).strip() for p in parameters]


def read_header(root: Path) -> Header:
    text = (root / "include/gcounter.h").read_text()
    code = re.sub(r"(?m)^\s*#.*$", "", code_only(text))
    functions = {}
    for match in re.finditer(C_PROTOTYPE.pattern + r"\s*;", code):
        result, parameters = c_types(match)
        functions[match.group(2)] = Prototype(
            result=c_kind(result),
            parameters=[c_kind(p) for p in parameters],
            text=" ".join(match.group(0).split()),
        )
    types = set(re.findall(r"\b(?:struct|enum)\s+(gcounter_\w+)|\b(gcounter_\w+)\s*;", code))
    version = package_version(root)
    return Header(
        functions=functions,
        types={name for pair in types for name in pair if name},
        statuses=enum_values(code, "gcounter_status"),
        orders=enum_values(code, "gcounter_order"),
        soname=f"libgcounter.so.{version.split('.')[0]}",
        version=version,
    )


def package_version(root: Path) -> str:
    """The version in Cargo.toml's [package] table: the soname carries its major number."""
    table = ""
    for line in (root / "Cargo.toml").read_text().splitlines():
        if line.startswith("["):
            table = line.strip()
        elif table == "[package]" and (match := re.match(r'version\s*=\s*"([^"]+)"', line)):
            return match.group(1)
    raise ValueError("Cargo.toml has no version in its [package] table")


# ----------------------------------------------------------------------
# What each binding says
# ----------------------------------------------------------------------


@dataclass
class Binding:
    name: str
    calls: set[str] = field(default_factory=set)
    # name -> (result type, parameter types) as the binding spells them; None: the compiler reads
    # the header, so there is nothing to compare.
    declarations: dict[str, tuple[str, list[str]]] | None = None
    # binding type -> the C kinds it may stand for
    type_kinds: dict[str, set[str]] = field(default_factory=dict)
    declared_twice: list[str] = field(default_factory=list)
    # Entries of a table of C prototypes (Node.js) that do not read as one.
    unreadable: list[str] = field(default_factory=list)
    # (name in the binding, its key, its number or the header constant it refers to); None for
    # statuses: the binding uses gcounter_status itself.
    statuses: list[tuple[str, str, int | str]] | None = field(default_factory=list)
    orders: list[tuple[str, str, int | str]] = field(default_factory=list)
    # True when the binding loads the library by name at run time, so must name the soname.
    loads_by_soname: bool = False
    source: str = ""  # every file's text, for the soname and GCOUNTER_ names


def key(name: str, strip: str = "") -> str:
    """A constant's name without `strip`, case or underscores, to match a binding's constant with
    the header's: key("statusInvalidUTF8", "^status") == key("GCOUNTER_ERR_INVALID_UTF8", ...)."""
    return re.sub(r"[^a-z0-9]", "", re.sub(strip, "", name).lower())


HEADER_PREFIX = "^GCOUNTER_(?:ERR_|ORDER_)?"


def read_cxx(root: Path) -> Binding:
    path = root / "include/gcounter.hpp"
    code = code_only(path.read_text())
    binding = Binding("cxx", statuses=None, source=path.read_text())
    binding.calls = set(re.findall(r"\b(gcounter_\w+)\s*\(", code))
    # The wrapper uses the header's own enums, so only the names of its Order can drift.
    order = re.search(r"\benum\s+class\s+Order\b[^{]*\{([^}]*)\}", code)
    for name, constant in re.findall(
        r"\b(\w+)\s*=\s*(GCOUNTER_ORDER_\w+)", order.group(1) if order else ""
    ):
        binding.orders.append((f"Order::{name}", key(name), constant))
    return binding


def read_go(root: Path) -> Binding:
    files = sorted(
        p for p in (root / "bindings/go").glob("*.go") if not p.name.endswith("_test.go")
    )
    binding = Binding("go", source="".join(p.read_text() for p in files))
    for path in files:
        text = path.read_text()
        # The cgo preamble: C code in the comment just above `import "C"`, where the shims call
        # the library.
        for preamble in re.findall(r"/\*(.*?)\*/\s*(?://[^\n]*\n\s*)*import \"C\"", text, re.S):
            binding.calls |= set(re.findall(r"\b(gcounter_\w+)\s*\(", code_only(preamble)))
        code = code_only(text)
        binding.calls |= set(re.findall(r"\bC\.(gcounter_\w+)\b", code))
        for name, constant in re.findall(r"\b(status\w+)\s*=\s*int\(C\.(GCOUNTER_\w+)\)", code):
            binding.statuses.append((name, key(name, "^status"), constant))
        for name, number in re.findall(r"\b(Order\w+)\s+Order\s*=\s*(\d+)", code):
            binding.orders.append((name, key(name, "^Order"), int(number)))
    return binding


JAVA_TYPE_KINDS = {
    # Pointers and size_t travel as long: NativeGCounter refuses any JVM where they are not 64-bit.
    "long": {"handle", "bytes", "u64", "size"},
    "int": {"int32"},
    "byte": {"bool"},  # only the low byte of a C bool return is defined
    "void": {"void"},
    "byte[]": {"bytes"},
    "String": {"bytes"},
    "Pointer": {"handle", "bytes"},
    "long[]": {"out u64", "out size", "out pointer"},
    "int[]": {"out int32"},
    # java.lang.foreign layouts (FfmLibgcounter's downcalls), after its aliases (HANDLE = JAVA_LONG).
    "JAVA_LONG": {"handle", "u64", "size"},
    "JAVA_INT": {"int32"},
    "JAVA_BOOLEAN": {"bool"},
    "ADDRESS": {"bytes", "out u64", "out size", "out pointer", "out int32"},
}

# FfmLibgcounter: `NAME = downcall("gcounter_x", OPTIONS, RESULT, PARAMETER, ...)`, or
# downcallVoid without the result; the handle is called as `NAME.invokeExact(`.
JAVA_DOWNCALL = re.compile(r"\b(\w+)\s*=\s*downcall(Void)?\(\s*\"(gcounter_\w+)\"\s*,\s*\w+\s*,?([^)]*)\)")
JAVA_LAYOUT_ALIAS = re.compile(r"\bValueLayout\s+(\w+)\s*=\s*(\w+)\s*;")


def read_java(root: Path) -> Binding:
    """The JNA declarations (`static native`) and the java.lang.foreign ones (downcall handles, in
    src/main/java22): each function declared once per calling path, keyed "name" and
    "name (java.lang.foreign)"."""
    main = root / "bindings/java/src/main"
    files = sorted([*(main / "java").rglob("*.java"), *(main / "java22").rglob("*.java")])
    binding = Binding(
        "java",
        type_kinds=JAVA_TYPE_KINDS,
        loads_by_soname=True,
        source="".join(p.read_text() for p in files),
        declarations={},
    )
    native = re.compile(r"\bstatic\s+native\s+([\w\[\]]+)\s+(gcounter_\w+)\s*\(([^)]*)\)\s*;")
    for path in files:
        code = code_only(path.read_text())
        for result, name, parameter_list in native.findall(code):
            if name in binding.declarations:
                binding.declared_twice.append(name)
            parameters = [p.strip() for p in parameter_list.split(",") if p.strip()]
            binding.declarations[name] = (
                result,
                [p.rsplit(None, 1)[0].replace(" ", "") for p in parameters],
            )
        calls = native.sub(" ", code)
        for direct, reference in re.findall(r"\b(gcounter_\w+)\s*\(|::\s*(gcounter_\w+)", calls):
            binding.calls.add(direct or reference)
        text = path.read_text()
        aliases = dict(JAVA_LAYOUT_ALIAS.findall(code))
        for handle, void, name, layouts in JAVA_DOWNCALL.findall(text):
            declared = f"{name} (java.lang.foreign)"
            if declared in binding.declarations:
                binding.declared_twice.append(declared)
            types = [aliases.get(t.strip(), t.strip()) for t in layouts.split(",") if t.strip()]
            result, parameters = ("void", types) if void else (types[0], types[1:])
            binding.declarations[declared] = (result, parameters)
            if re.search(rf"\b{handle}\.invokeExact\(", code):
                binding.calls.add(name)
        constants = [
            (name, int(number))
            for name, number in re.findall(r"\b([A-Z][A-Z0-9_]*)\((-?\d+)\)", code)
        ]
        if path.name == "Status.java":
            # UNKNOWN(-1) stands for a code this binding does not know, not for a status.
            binding.statuses += [(f"Status.{n}", key(n), v) for n, v in constants if v >= 0]
        elif path.name == "Order.java":
            binding.orders += [(f"Order.{n}", key(n), v) for n, v in constants]
    return binding


def read_node(root: Path) -> Binding:
    package = root / "bindings/node"
    entries = [package / "index.js", package / "index.mjs"]
    files = [p for p in entries if p.is_file()] + sorted((package / "lib").rglob("*.js"))
    binding = Binding(
        "node",
        loads_by_soname=True,
        source="".join(p.read_text() for p in files),
        declarations={},
    )
    statuses: list[tuple[str, str, int | str]] = []
    for path in files:
        text = path.read_text()
        # The prototypes are the header's own C text, in koffi's PROTOTYPES table of strings.
        for table in re.findall(r"\bPROTOTYPES\s*=\s*\[(.*?)\];", text, re.S):
            for literal in re.findall(r"'([^'\n]*)'|\"([^\"\n]*)\"", table):
                match = C_PROTOTYPE.fullmatch(("".join(literal)).strip())
                if match is None:
                    binding.unreadable.append("".join(literal))
                    continue
                name = match.group(2)
                if name in binding.declarations:
                    binding.declared_twice.append(name)
                binding.declarations[name] = c_types(match)
        # Calls go through the table: native.gcounter_new(), native.functions.gcounter_version().
        code = code_only(text)
        binding.calls |= set(re.findall(r"\.\s*(gcounter_\w+)\b", code))
        binding.calls |= set(re.findall(r"\b(gcounter_\w+)\s*\(", code))
        # Status = { OK: status('OK', 0), ... } and ORDERS = ['equal', 'less', ...], by index.
        for name, number in re.findall(r"\bstatus\(\s*'(\w+)'\s*,\s*(\d+)\s*\)", text):
            statuses.append((f"Status.{name}", key(name), int(number)))
        for names in re.findall(r"\bORDERS\s*=\s*\[([^\]]*)\]", text):
            orders = re.findall(r"'(\w+)'", names)
            binding.orders += [(f"'{order}'", key(order), i) for i, order in enumerate(orders)]
    binding.statuses = statuses
    # The binding spells its types as the header does, so each stands for its own C kind.
    for result, parameters in binding.declarations.values():
        for spelled in (result, *parameters):
            try:
                binding.type_kinds[spelled] = {c_kind(spelled)}
            except ValueError:
                binding.type_kinds[spelled] = set()
    return binding


PYTHON_TYPE_KINDS = {
    "c_void_p": {"handle", "bytes"},
    "c_char_p": {"bytes"},
    "c_uint64": {"u64"},
    "c_size_t": {"size"},
    "c_int": {"int32"},
    "c_int32": {"int32"},
    "c_uint32": {"int32"},
    "c_bool": {"bool"},
    "None": {"void"},
    "POINTER(c_uint64)": {"out u64"},
    "POINTER(c_size_t)": {"out size"},
    "POINTER(c_void_p)": {"out pointer"},
    "POINTER(c_char_p)": {"out pointer"},
    "POINTER(c_int)": {"out int32"},
}


def python_type(node: ast.expr, aliases: dict[str, ast.expr]) -> str:
    """A ctypes type as a name: `_U64` -> c_uint64, `ctypes.POINTER(_PTR)` -> POINTER(c_void_p)."""
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, ast.Name):
        return python_type(aliases[node.id], aliases) if node.id in aliases else node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call) and len(node.args) == 1:
        return f"{python_type(node.func, aliases)}({python_type(node.args[0], aliases)})"
    return ast.unparse(node)


def is_prototype_table(node: ast.AST) -> bool:
    """Whether `node` is a dict literal keyed by C function names, as {"gcounter_new": ...}."""
    return (
        isinstance(node, ast.Dict)
        and bool(node.keys)
        and all(
            isinstance(name, ast.Constant) and str(name.value).startswith("gcounter_")
            for name in node.keys
        )
    )


def read_python(root: Path) -> Binding:
    files = sorted((root / "bindings/python/gcounter").glob("*.py"))
    binding = Binding(
        "python",
        type_kinds=PYTHON_TYPE_KINDS,
        loads_by_soname=True,
        source="".join(p.read_text() for p in files),
        declarations={},
    )
    tables = []
    for path in files:
        tree = ast.parse(path.read_text(), str(path))
        aliases = {  # module-level names such as _U64 = ctypes.c_uint64
            node.targets[0].id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("gcounter_"):
                binding.calls.add(node.attr)  # _lib.gcounter_new
            elif isinstance(node, ast.Attribute) and node.attr in ("argtypes", "restype"):
                if isinstance(node.value, ast.Attribute) and node.value.attr.startswith(
                    "gcounter_"
                ):
                    binding.declared_twice.append(
                        f"{node.value.attr} (.{node.attr} in {path.name})"
                    )
            elif is_prototype_table(node):
                tables.append(path.name)
                for name, prototype in zip(node.keys, node.values):  # type: ignore[attr-defined]
                    if name.value in binding.declarations:
                        binding.declared_twice.append(name.value)
                    result, parameters = prototype.elts
                    binding.declarations[name.value] = (
                        python_type(result, aliases),
                        [python_type(parameter, aliases) for parameter in parameters.elts],
                    )
            elif isinstance(node, ast.ClassDef) and node.name in ("Status", "Order"):
                members = binding.statuses if node.name == "Status" else binding.orders
                members += [  # type: ignore[operator]
                    (
                        f"{node.name}.{member.targets[0].id}",
                        key(member.targets[0].id),
                        member.value.value,
                    )
                    for member in node.body
                    if isinstance(member, ast.Assign) and isinstance(member.value, ast.Constant)
                ]
    if len(tables) > 1:
        binding.declared_twice.append(f"prototype tables in {', '.join(tables)}: keep one")
    return binding


RUBY_TYPE_KINDS = {
    "pointer": {"handle", "bytes", "out u64", "out size", "out pointer", "out int32"},
    "string": {"bytes"},
    "uint64": {"u64"},
    "size_t": {"size"},
    "int": {"int32"},
    "int32": {"int32"},
    "uint32": {"int32"},
    "bool": {"bool"},
    "void": {"void"},
}


def read_ruby(root: Path) -> Binding:
    files = sorted((root / "bindings/ruby/lib").rglob("*.rb"))
    binding = Binding(
        "ruby",
        type_kinds=RUBY_TYPE_KINDS,
        loads_by_soname=True,
        source="".join(p.read_text() for p in files),
        declarations={},
    )
    attach = re.compile(
        r"\battach_function\s+:(gcounter_\w+)\s*,\s*(\[[^\]]*\]|%i\[[^\]]*\])\s*,\s*:(\w+)"
    )
    for path in files:
        text = path.read_text()
        for name, parameter_list, result in attach.findall(text):
            if name in binding.declarations:
                binding.declared_twice.append(name)
            parameters = (
                parameter_list[3:-1].split()
                if parameter_list.startswith("%i")
                else re.findall(r":(\w+)", parameter_list)
            )
            binding.declarations[name] = (result, parameters)
        code = code_only(attach.sub(" ", text), RUBY_TOKENS)
        binding.calls |= set(re.findall(r"\b(gcounter_\w+)\b", code))
        for name, number in re.findall(r"\bclass\s+(\w+)\s*<\s*Error\s+STATUS\s*=\s*(\d+)", code):
            binding.statuses.append((name, key(name, "Error$"), int(number)))
        for number in re.findall(r"\bSTATUS_OK\s*=\s*(\d+)", code):
            binding.statuses.append(("STATUS_OK", key("OK"), int(number)))
        for symbols in re.findall(r"\bORDERS\s*=\s*%i\[([^\]]*)\]", code):
            binding.orders += [(f":{s}", key(s), i) for i, s in enumerate(symbols.split())]
    return binding


READERS = {
    "cxx": read_cxx,
    "go": read_go,
    "java": read_java,
    "node": read_node,
    "python": read_python,
    "ruby": read_ruby,
}


# ----------------------------------------------------------------------
# The left-out list
# ----------------------------------------------------------------------


def read_left_out(root: Path, header: Header, failures: list[str]) -> dict[tuple[str, str], str]:
    """(binding, function) -> reason, from lines "function  binding[,binding...]  reason"."""
    left_out = {}
    for number, line in enumerate((root / LEFT_OUT).read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{LEFT_OUT}:{number}"
        parts = line.split(None, 2)
        if len(parts) < 3:
            failures.append(f"{where}: want 'function  bindings  reason', got: {line.strip()}")
            continue
        function, bindings, reason = parts
        if function not in header.functions:
            failures.append(
                f"{where}: {function} is not a function of include/gcounter.h: remove the line"
            )
        for binding in bindings.split(","):
            if binding not in BINDINGS:
                failures.append(
                    f"{where}: '{binding}' is not a binding; the bindings are {', '.join(BINDINGS)}"
                )
            left_out[(binding, function)] = reason
    return left_out


# ----------------------------------------------------------------------
# The checks
# ----------------------------------------------------------------------


def check_constants(
    what: str, header: dict[str, int], found: list[tuple[str, str, int | str]]
) -> list[str]:
    """Problems with a binding's copy of a header enum: unknown, misnumbered, missing constants."""
    problems = []
    by_key = {key(constant, HEADER_PREFIX): constant for constant in header}
    matched = set()
    for name, name_key, value in found:
        constant = by_key.get(name_key)
        if constant is None:
            problems.append(f"{what} {name} matches none of the header's {', '.join(header)}")
            continue
        matched.add(constant)
        if isinstance(value, str) and value != constant:
            problems.append(f"{what} {name} refers to {value}, but its name says {constant}")
        elif isinstance(value, int) and value != header[constant]:
            problems.append(
                f"{what} {name} = {value}, but the header has {constant} = {header[constant]}"
            )
    for constant in header:
        if constant not in matched:
            problems.append(
                f"{what}: nothing stands for the header's {constant} = {header[constant]}"
            )
    return problems


def check_binding(
    binding: Binding, header: Header, left_out: dict[tuple[str, str], str]
) -> tuple[int, list[str]]:
    """(checks passed, failures) for one binding."""
    passed, failures = 0, []

    def check(ok: bool, failure: str) -> None:
        nonlocal passed
        if ok:
            passed += 1
        else:
            failures.append(f"{binding.name}: {failure}")

    # Every header function: called, or left out with a reason, never both.
    for function in header.functions:
        listed = (binding.name, function) in left_out
        called = function in binding.calls
        if called and listed:
            check(
                False,
                f"calls {function}, which {LEFT_OUT} lists as left out: remove it from the list",
            )
        else:
            check(
                called or listed,
                f"does not call {function}: call it, or list it in {LEFT_OUT} " f"with the reason",
            )
    unknown = binding.calls - set(header.functions) - header.types
    check(
        not unknown,
        f"names {', '.join(sorted(unknown))}, which include/gcounter.h does not declare",
    )

    # Its own declarations of the prototypes.
    if binding.declarations is not None:
        check(
            not binding.declared_twice,
            f"declares a prototype more than once: {', '.join(binding.declared_twice)}",
        )
        check(
            not binding.unreadable,
            f"has prototypes that do not read as C: {'; '.join(binding.unreadable)}",
        )
        for declared, (result, parameters) in sorted(binding.declarations.items()):
            # A binding with two calling paths declares a function once in each: "name (path)".
            function = declared.split(" ")[0]
            prototype = header.functions.get(function)
            if prototype is None:
                continue  # reported above as a name the header lacks
            if function not in binding.calls:
                check(False, f"declares {function} but never calls it")
                continue
            problems = []
            if len(parameters) != len(prototype.parameters):
                problems.append(
                    f"{len(parameters)} parameters where the header has {len(prototype.parameters)}"
                )
            theirs = [prototype.result, *prototype.parameters]
            for position, (ours, kind) in enumerate(zip([result, *parameters], theirs)):
                if kind not in binding.type_kinds.get(ours, set()):
                    where = "the result" if position == 0 else f"parameter {position}"
                    problems.append(f"{where} as {ours}, which cannot carry the header's {kind}")
            check(
                not problems,
                f"declares {declared} with {'; '.join(problems)} (header: {prototype.text})",
            )

    # Status codes and orders.
    if binding.statuses is not None:
        problems = check_constants("status", header.statuses, binding.statuses)
        check(not problems, "; ".join(problems))
    problems = check_constants("order", header.orders, binding.orders)
    check(not problems, "; ".join(problems))
    known = set(header.statuses) | set(header.orders)
    stale = sorted(
        set(re.findall(r"\bGCOUNTER_(?:OK|ERR_\w+|ORDER_\w+)\b", binding.source)) - known
    )
    check(not stale, f"mentions {', '.join(stale)}, which include/gcounter.h does not define")

    # The soname.
    sonames = set(re.findall(r"\blibgcounter\.so\.\d+\b", binding.source))
    sonames |= {
        f"libgcounter.so.{major}"
        for major in re.findall(r"\blibgcounter\.(\d+)\.dylib\b", binding.source)
    }
    wrong = sorted(sonames - {header.soname})
    check(
        not wrong,
        f"names {', '.join(wrong)}, "
        f"but Cargo.toml's version {header.version} gives {header.soname}",
    )
    if binding.loads_by_soname:
        check(
            header.soname in sonames,
            f"loads the library by name but never names its soname {header.soname}",
        )
    return passed, failures


def run(root: Path) -> tuple[int, list[str], list[str]]:
    """(checks passed, failures, one summary line per binding) for the repository at `root`."""
    failures: list[str] = []
    header = read_header(root)
    if not header.functions or not header.statuses or not header.orders:
        return (
            0,
            [
                "include/gcounter.h: found no functions, gcounter_status or gcounter_order "
                "to check against"
            ],
            [],
        )
    left_out = read_left_out(root, header, failures)
    passed = 0 if failures else 1
    summaries = [
        f"header: {len(header.functions)} functions, {len(header.statuses)} statuses, "
        f"{len(header.orders)} orders; soname {header.soname} (Cargo.toml {header.version})"
    ]
    for name in BINDINGS:
        binding = READERS[name](root)
        binding_passed, binding_failures = check_binding(binding, header, left_out)
        passed += binding_passed
        failures += binding_failures
        called = len(set(header.functions) & binding.calls)
        declared = (
            ""
            if binding.declarations is None
            else f", {len(binding.declarations)} prototypes declared"
        )
        summaries.append(
            f"{name}: calls {called} of {len(header.functions)} functions, "
            f"{sum(1 for b, _ in left_out if b == name)} left out{declared}"
        )
    return passed, failures, summaries


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    passed, failures, summaries = run(root)
    for line in summaries:
        print(line)
    for failure in failures:
        print(f"FAILED {failure}")
    print(f"bindings: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
