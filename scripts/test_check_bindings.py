#!/usr/bin/env python3
"""Tests of scripts/check_bindings.py: each copies the files it reads into a temporary tree,
makes one change a real edit could make, and expects the check to name that change.

Run by `make test-bindings` before the check itself; ends with "checker: N passed, N failed".
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY / "scripts"))
import check_bindings  # noqa: E402  (from the directory above)

# What the checker reads, and nothing of the build output beside it.
SOURCES = ["Cargo.toml", "include", "bindings"]
IGNORED = shutil.ignore_patterns(
    "target", "__pycache__", ".pytest_cache", "vendor", "*.gem", "node_modules"
)


class CheckBindingsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="check_bindings."))
        self.addCleanup(shutil.rmtree, self.root)
        for name in SOURCES:
            source = REPOSITORY / name
            if source.is_dir():
                shutil.copytree(source, self.root / name, ignore=IGNORED)
            else:
                shutil.copy(source, self.root / name)

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.root / path
        text = file.read_text()
        self.assertIn(old, text, f"{path} no longer holds the text this test changes")
        file.write_text(text.replace(old, new, 1))

    def failures(self) -> list[str]:
        _, failures, _ = check_bindings.run(self.root)
        return failures

    def assertFails(self, *expected: str) -> None:
        """Every pattern in `expected` matches a failure, and every failure matches one."""
        failures = self.failures()
        for pattern in expected:
            self.assertTrue(
                any(re.search(pattern, f) for f in failures),
                f"no failure matches {pattern!r}: {failures}",
            )
        for failure in failures:
            self.assertTrue(
                any(re.search(p, failure) for p in expected), f"unexpected failure: {failure}"
            )

    # --- the tree as it is ----------------------------------------------------------------

    def test_the_repository_passes(self) -> None:
        self.assertEqual(self.failures(), [])

    def test_the_status_enum_written_by_hand_reads_as_the_generated_one(self) -> None:
        header = self.root / "include/gcounter.h"
        text = header.read_text()
        # cbindgen's form of a repr(u32) enum: a fixed underlying type in C++ and C23, and a
        # typedef to uint32_t before C23. The same constants written as a plain C enum must
        # check the same.
        block = re.search(
            r"enum gcounter_status\s*\n#if.*?\{.*?\};.*?typedef uint32_t gcounter_status;\n"
            r"#endif[^\n]*\n#endif[^\n]*\n",
            text,
            re.S,
        )
        assert block is not None, "include/gcounter.h has no generated gcounter_status enum"
        constants = re.findall(r"(GCOUNTER_\w+) = (\d+)", block.group(0))
        self.assertEqual(len(constants), 7)
        by_hand = "typedef enum gcounter_status {\n%s\n} gcounter_status;\n" % "\n".join(
            f"  {name} = {value}," for name, value in constants
        )
        header.write_text(text.replace(block.group(0), by_hand))
        self.assertEqual(self.failures(), [])

    # --- functions -------------------------------------------------------------------------

    def test_a_new_header_function_that_no_binding_calls(self) -> None:
        self.edit(
            "include/gcounter.h",
            "#ifdef __cplusplus\n}",
            "gcounter_status gcounter_slot_count(const struct gcounter_t *counter, size_t *out);\n"
            "\n#ifdef __cplusplus\n}",
        )
        self.assertFails(
            *(f"^{b}: does not call gcounter_slot_count" for b in check_bindings.BINDINGS)
        )

    def test_a_new_function_listed_as_left_out_passes(self) -> None:
        self.edit(
            "include/gcounter.h",
            "#ifdef __cplusplus\n}",
            "gcounter_status gcounter_slot_count(const struct gcounter_t *counter, size_t *out);\n"
            "\n#ifdef __cplusplus\n}",
        )
        with open(self.root / check_bindings.LEFT_OUT, "a") as left_out:
            left_out.write(f"gcounter_slot_count {','.join(check_bindings.BINDINGS)}  a reason\n")
        self.assertEqual(self.failures(), [])

    def test_a_binding_that_stops_calling_a_function(self) -> None:
        self.edit("bindings/go/capi.go", "C.GoString(C.gcounter_version())", '"0.0.0"')
        self.assertFails("^go: does not call gcounter_version")

    def test_a_left_out_function_that_is_called(self) -> None:
        with open(self.root / check_bindings.LEFT_OUT, "a") as left_out:
            left_out.write("gcounter_join  ruby  no reason\n")
        self.assertFails("^ruby: calls gcounter_join, which .* lists as left out")

    def test_a_left_out_line_naming_no_function_or_binding(self) -> None:
        with open(self.root / check_bindings.LEFT_OUT, "a") as left_out:
            left_out.write(
                "gcounter_gone  go  it went\ngcounter_join  swift  not here yet\ngcounter_join go\n"
            )
        self.assertFails(
            "gcounter_gone is not a function",
            "'swift' is not a binding",
            "want 'function  bindings  reason'",
        )

    def test_a_call_of_a_function_the_header_lacks(self) -> None:
        # The wrapper calls it twice: agent_count() and the slot range's size.
        self.edit("include/gcounter.hpp", "gcounter_agent_count(get())", "gcounter_agents(get())")
        self.edit("include/gcounter.hpp", "gcounter_agent_count(handle)", "gcounter_agents(handle)")
        self.assertFails("^cxx: does not call gcounter_agent_count", "^cxx: names gcounter_agents")

    # --- prototypes ------------------------------------------------------------------------

    def test_python_declaring_a_function_twice(self) -> None:
        self.edit(
            "bindings/python/gcounter/_native.py",
            '    "gcounter_new": (_PTR, []),\n',
            '    "gcounter_new": (_PTR, []),\n    "gcounter_new": (_PTR, []),\n',
        )
        self.assertFails("^python: declares a prototype more than once: gcounter_new")

    def test_python_setting_a_prototype_outside_the_table(self) -> None:
        self.edit(
            "bindings/python/gcounter/_counter.py",
            "_new = _lib.gcounter_new\n",
            "_new = _lib.gcounter_new\n_lib.gcounter_new.restype = c_void_p\n",
        )
        self.assertFails(r"^python: declares a prototype more than once: gcounter_new \(\.restype")

    def test_python_prototype_with_a_missing_parameter(self) -> None:
        self.edit(
            "bindings/python/gcounter/_native.py",
            '"gcounter_increment_len": (_STATUS, [_PTR, _STR, _SIZE, _U64])',
            '"gcounter_increment_len": (_STATUS, [_PTR, _STR, _U64])',
        )
        self.assertFails(
            "^python: declares gcounter_increment_len with 3 parameters where the header has 4"
        )

    def test_java_out_parameter_of_the_wrong_width(self) -> None:
        self.edit(
            "bindings/java/src/main/java/io/gcounter/JnaLibgcounter.java",
            "gcounter_value(long counter, long[] outValue)",
            "gcounter_value(long counter, int[] outValue)",
        )
        self.assertFails(
            "^java: declares gcounter_value with parameter 2 as int\\[\\], "
            "which cannot carry the header's out u64"
        )

    def test_java_declaration_never_called(self) -> None:
        self.edit(
            "bindings/java/src/main/java/io/gcounter/JnaLibgcounter.java",
            "  static native long gcounter_new();",
            "  static native long gcounter_new();\n\n"
            "  static native int gcounter_value_for(long counter, byte[] agentId, long[] outValue);",
        )
        self.assertFails("^java: declares gcounter_value_for but never calls it")

    def test_java_downcall_of_the_wrong_width(self) -> None:
        self.edit(
            "bindings/java/src/main/java22/io/gcounter/FfmLibgcounter.java",
            'downcall("gcounter_agent_count", FAST, SIZE_T, HANDLE)',
            'downcall("gcounter_agent_count", FAST, STATUS, HANDLE)',
        )
        self.assertFails(
            "^java: declares gcounter_agent_count \\(java.lang.foreign\\) with the result as "
            "JAVA_INT, which cannot carry the header's size"
        )

    def test_java_downcall_missing_a_parameter(self) -> None:
        self.edit(
            "bindings/java/src/main/java22/io/gcounter/FfmLibgcounter.java",
            '"gcounter_slot_at", NORMAL, STATUS, HANDLE, SIZE_T, ADDRESS, ADDRESS, ADDRESS)',
            '"gcounter_slot_at", NORMAL, STATUS, HANDLE, SIZE_T, ADDRESS, ADDRESS)',
        )
        self.assertFails(
            "^java: declares gcounter_slot_at \\(java.lang.foreign\\) with 4 parameters where "
            "the header has 5"
        )

    def test_ruby_result_of_the_wrong_type(self) -> None:
        self.edit(
            "bindings/ruby/lib/gcounter/native.rb",
            "attach_function :gcounter_agent_count, [:pointer], :size_t",
            "attach_function :gcounter_agent_count, [:pointer], :int",
        )
        self.assertFails(
            "^ruby: declares gcounter_agent_count with the result as int, "
            "which cannot carry the header's size"
        )

    def test_node_stops_calling_a_function_it_declares(self) -> None:
        self.edit(
            "bindings/node/lib/counter.js",
            "native.gcounter_equivalent(handle,",
            "0 === native.gcounter_compare(handle,",
        )
        self.assertFails(
            "^node: does not call gcounter_equivalent",
            "^node: declares gcounter_equivalent but never calls it",
        )

    def test_node_calls_a_function_the_header_lacks(self) -> None:
        self.edit(
            "bindings/node/lib/counter.js",
            "native.gcounter_clone(this.#live())",
            "native.gcounter_copy(this.#live())",
        )
        self.assertFails(
            "^node: does not call gcounter_clone",
            "^node: declares gcounter_clone but never calls it",
            "^node: names gcounter_copy",
        )

    def test_node_prototype_with_a_missing_parameter(self) -> None:
        self.edit(
            "bindings/node/lib/native.js",
            "const char *agent_id, size_t agent_id_len, uint64_t by)",
            "const char *agent_id, uint64_t by)",
        )
        self.assertFails(
            "^node: declares gcounter_increment_len with 3 parameters where the header has 4"
        )

    def test_node_prototype_of_the_wrong_type(self) -> None:
        self.edit(
            "bindings/node/lib/native.js",
            "'size_t gcounter_agent_count(const gcounter_t *counter)'",
            "'int gcounter_agent_count(const gcounter_t *counter)'",
        )
        self.assertFails(
            "^node: declares gcounter_agent_count with the result as int, "
            "which cannot carry the header's size"
        )

    def test_node_out_parameter_of_the_wrong_width(self) -> None:
        self.edit(
            "bindings/node/lib/native.js",
            "size_t *out_agent_id_len, uint64_t *out_count)",
            "size_t *out_agent_id_len, uint32_t *out_count)",
        )
        self.assertFails(
            "^node: declares gcounter_slot_at with parameter 5 as uint32_t \\*, "
            "which cannot carry the header's out u64"
        )

    def test_node_declaring_a_function_twice(self) -> None:
        self.edit(
            "bindings/node/lib/native.js",
            "  'gcounter_t *gcounter_new(void)',\n",
            "  'gcounter_t *gcounter_new(void)',\n  \"gcounter_t *gcounter_new(void)\",\n",
        )
        self.assertFails("^node: declares a prototype more than once: gcounter_new")

    def test_node_table_entry_that_is_no_prototype(self) -> None:
        self.edit(
            "bindings/node/lib/native.js",
            "  'gcounter_t *gcounter_new(void)',\n",
            "  'gcounter_t *gcounter_new(void)',\n  'gcounter_t *gcounter_renew(void',\n",
        )
        self.assertFails(
            "^node: has prototypes that do not read as C: gcounter_t \\*gcounter_renew"
        )

    # --- statuses, orders, soname -------------------------------------------------------------

    def test_a_renumbered_status(self) -> None:
        self.edit("include/gcounter.h", "GCOUNTER_ERR_PANIC = 6", "GCOUNTER_ERR_PANIC = 7")
        self.assertFails(
            *(
                f"^{b}: status \\S*(PANIC|Panic)\\S* = 6, but the header has GCOUNTER_ERR_PANIC = 7"
                for b in ("java", "node", "python", "ruby")
            )
        )

    def test_a_new_status(self) -> None:
        self.edit(
            "include/gcounter.h",
            "GCOUNTER_ERR_PANIC = 6,",
            "GCOUNTER_ERR_PANIC = 6,\n  GCOUNTER_ERR_BUSY = 7,",
        )
        self.assertFails(
            *(
                f"^{b}: status: nothing stands for the header's GCOUNTER_ERR_BUSY = 7"
                for b in ("go", "java", "node", "python", "ruby")
            )
        )

    def test_a_go_status_constant_bound_to_another_status(self) -> None:
        self.edit(
            "bindings/go/capi.go",
            "statusOverflow        = int(C.GCOUNTER_ERR_OVERFLOW)",
            "statusOverflow        = int(C.GCOUNTER_ERR_INVALID_JSON)",
        )
        self.assertFails(
            "^go: status statusOverflow refers to GCOUNTER_ERR_INVALID_JSON, "
            "but its name says GCOUNTER_ERR_OVERFLOW"
        )

    def test_an_order_out_of_place(self) -> None:
        self.edit(
            "bindings/ruby/lib/gcounter/counter.rb",
            "%i[equal less greater concurrent]",
            "%i[equal greater less concurrent]",
        )
        self.assertFails(
            "^ruby: order :greater = 1, but the header has GCOUNTER_ORDER_GREATER = 2.*:less = 2"
        )

    def test_a_node_status_with_a_name_the_header_lacks(self) -> None:
        self.edit(
            "bindings/node/lib/errors.js",
            "INVALID_UTF8: status('INVALID_UTF8', 3)",
            "INVALID_UTF8: status('BAD_UTF8', 3)",
        )
        self.assertFails(
            "^node: status Status.BAD_UTF8 matches none of the header's .*"
            "nothing stands for the header's GCOUNTER_ERR_INVALID_UTF8 = 3"
        )

    def test_a_node_order_out_of_place(self) -> None:
        self.edit(
            "bindings/node/lib/counter.js",
            "['equal', 'less', 'greater', 'concurrent']",
            "['equal', 'greater', 'less', 'concurrent']",
        )
        self.assertFails(
            "^node: order 'greater' = 1, but the header has GCOUNTER_ORDER_GREATER = 2"
        )

    def test_a_stale_constant_in_a_comment(self) -> None:
        self.edit(
            "bindings/java/src/main/java/io/gcounter/Status.java",
            "{@code GCOUNTER_ERR_PANIC}",
            "{@code GCOUNTER_ERR_INTERNAL}",
        )
        self.assertFails("^java: mentions GCOUNTER_ERR_INTERNAL")

    def test_a_new_major_version(self) -> None:
        version = check_bindings.package_version(self.root)
        self.edit("Cargo.toml", f'version = "{version}"', 'version = "1.0.0"')
        self.assertFails(
            *(
                f"^{b}: names libgcounter.so.0, "
                "but Cargo.toml's version 1.0.0 gives libgcounter.so.1"
                for b in ("java", "node", "python", "ruby")
            ),
            *(
                f"^{b}: loads the library by name but never names its soname libgcounter.so.1"
                for b in ("java", "node", "python", "ruby")
            ),
        )


def main() -> int:
    result = unittest.TextTestRunner(verbosity=2).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(CheckBindingsTest)
    )
    failed = len(result.failures) + len(result.errors)
    print(f"checker: {result.testsRun - failed - len(result.skipped)} passed, {failed} failed")
    return 1 if failed or result.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
