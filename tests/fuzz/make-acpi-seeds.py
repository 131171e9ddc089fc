#!/usr/bin/env python3
# make-acpi-seeds.py - build the seed corpus of the ACPI fixer fuzz target
#
# Each seed is a physical memory image as fuzz-acpi-fix.c reads it: the
# first byte sits at address 0x1000 and holds the RSDP.  The tables are
# the real Hyper-V Gen2 dumps from tests/fixtures/gen2-acpi, so the
# fuzzer starts from inputs that reach every fixer.  Output is
# deterministic; rerun after changing the fixtures and commit the result.
#
#   tests/fuzz/make-acpi-seeds.py [--fixtures DIR] [--out DIR]
#
# SPDX-License-Identifier: MIT

import argparse
import os
import struct
import sys

BASE = 0x1000
RSDP_AT = 0x000
XSDT_AT = 0x040
RSDT_AT = 0x0C0
TABLES_AT = 0x100


def checksum_byte(data):
    return (-sum(data)) & 0xFF


def seal(table):
    """Fix the checksum at offset 9 of a table held in a bytearray."""
    table[9] = 0
    table[9] = checksum_byte(table)
    return table


def root_table(signature, header_from, entries, entry_size, oem_id,
               oem_table_id):
    table = bytearray(header_from[:36])
    table[0:4] = signature
    table[10:16] = oem_id
    table[16:24] = oem_table_id
    fmt = "<Q" if entry_size == 8 else "<I"
    for entry in entries:
        table += struct.pack(fmt, entry)
    struct.pack_into("<I", table, 4, len(table))
    return seal(table)


def rsdp(revision, rsdt, xsdt):
    data = bytearray(36 if revision >= 2 else 20)
    data[0:8] = b"RSD PTR "
    data[9:15] = b"VRTUAL"
    data[15] = revision
    struct.pack_into("<I", data, 16, rsdt)
    data[8] = checksum_byte(data[:20])
    if revision >= 2:
        struct.pack_into("<I", data, 20, 36)
        struct.pack_into("<Q", data, 24, xsdt)
        data[32] = checksum_byte(data)
    return data


class Image:
    def __init__(self):
        self.data = bytearray(TABLES_AT)
        self.cursor = TABLES_AT

    def put(self, offset, blob):
        end = offset + len(blob)
        if end > len(self.data):
            self.data += bytes(end - len(self.data))
        self.data[offset:end] = blob

    def place(self, blob):
        """Append a table at an odd address; returns its address."""
        offset = (self.cursor + 15) // 16 * 16 + 3
        self.put(offset, blob)
        self.cursor = offset + len(blob)
        return BASE + offset


def load(fixtures, name):
    with open(os.path.join(fixtures, name), "rb") as f:
        return f.read()


def gen2_image(fx, names, with_rsdt=False, extra_madt=False):
    image = Image()
    addresses = {name: image.place(fx[name]) for name in names}
    xsdt = root_table(b"XSDT", fx["xsdt"], [addresses[n] for n in names],
                      8, b"VRTUAL", b"MICROSFT")
    image.put(XSDT_AT, xsdt)
    rsdt_address = 0
    if with_rsdt:
        rsdt_entries = [addresses["facp"], addresses["apic"]]
        if extra_madt:
            rsdt_entries.append(image.place(fx["apic"]))
        rsdt = root_table(b"RSDT", fx["xsdt"], rsdt_entries, 4, b"BOCHS ",
                          b"BXPCRSDT")
        image.put(RSDT_AT, rsdt)
        rsdt_address = BASE + RSDT_AT
    image.put(RSDP_AT, rsdp(2, rsdt_address, BASE + XSDT_AT))
    return bytes(image.data)


def rsdt_only_image(fx):
    image = Image()
    entries = [image.place(fx[n]) for n in ("facp", "apic", "srat")]
    image.put(RSDT_AT, root_table(b"RSDT", fx["xsdt"], entries, 4,
                                  b"VRTUAL", b"MICROSFT"))
    image.put(RSDP_AT, rsdp(0, BASE + RSDT_AT, 0))
    return bytes(image.data)


def overlap_image(fx):
    """Two MADTs that overlap, listed B then A, where fixing both would
    make a second run differ from the first - why acpi_fix_all() refuses
    overlapping tables (it must skip both here and write nothing).

    A (44 bytes, valid, Flags 0) starts 0x20 into B (48 bytes).  A's
    checksum byte lies inside B, so B is made to fail its checksum by
    exactly the amount A's fix will change it: the first run skips B and
    fixes A, which makes B valid; B's Flags are A's revision byte (4,
    PCAT_COMPAT clear), so the second run fixes B."""
    image = Image()
    b_at, a_at = 0x100, 0x120
    a = bytearray(fx["apic"][:44])
    struct.pack_into("<I", a, 4, 44)
    a[8] = 4
    struct.pack_into("<I", a, 0x28, 0)
    image.put(a_at, seal(a))
    b = bytearray(fx["apic"][:0x20])
    struct.pack_into("<I", b, 4, 0x30)
    image.put(b_at, b)
    image.data[b_at + 9] = 0
    image.data[b_at + 9] = (1 - sum(image.data[b_at:b_at + 0x30])) & 0xFF
    image.put(RSDT_AT, root_table(b"RSDT", fx["xsdt"],
                                  [BASE + b_at, BASE + a_at], 4,
                                  b"VRTUAL", b"MICROSFT"))
    image.put(RSDP_AT, rsdp(0, BASE + RSDT_AT, 0))
    return bytes(image.data)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(
        description="Build the acpi-fix fuzz seeds from the Gen2 fixtures.")
    parser.add_argument("--fixtures",
                        default=os.path.join(top, "tests", "fixtures",
                                             "gen2-acpi"))
    parser.add_argument("--out",
                        default=os.path.join(here, "seeds", "acpi-fix"))
    args = parser.parse_args()

    fx = {name: load(args.fixtures, name + ".dat")
          for name in ("xsdt", "facp", "apic", "srat", "waet")}
    for name, table in fx.items():
        if checksum_byte(table) != 0:
            sys.exit("%s.dat: bad checksum" % name)

    full = gen2_image(fx, ("facp", "apic", "srat", "waet"))
    seeds = {
        # RSDP rev 2 -> XSDT -> FADT, MADT, SRAT, WAET, as on Gen2.
        "gen2-xsdt.bin": full,
        # ACPI 1.0 style: RSDP rev 0 -> RSDT only.
        "rsdt-only.bin": rsdt_only_image(fx),
        # XSDT and RSDT sharing tables, RSDT also listing a second MADT.
        "gen2-both-roots.bin": gen2_image(fx, ("facp", "apic", "srat"),
                                          with_rsdt=True, extra_madt=True),
        # The image cut in the middle of the SRAT: its Length overruns.
        "truncated.bin": full[:len(full) - len(fx["waet"]) - 300],
        # Overlapping MADTs: refused, or a second run would differ.
        "overlap.bin": overlap_image(fx),
    }

    os.makedirs(args.out, exist_ok=True)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        print("%s: %d bytes" % (os.path.join(args.out, name), len(data)))


if __name__ == "__main__":
    main()
